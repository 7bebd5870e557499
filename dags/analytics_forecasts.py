"""
### Daily forecasts of views and revenue per channel, and their weekly back-test

Runs whenever the revenue load has written YouTube's channel days
(`analytics.yt_channel_daily`, an asset event), and every day at 07:00 warehouse
time in any case. For a run at Pacific day P (its logical date, or for an
asset-triggered run the time it was queued), every active channel is forecast
from its **final days** up to P-1 (the days YouTube has reported; the provisional
days after them are never used), in parallel batches of
`YTEMPIRE_FORECAST_CHANNELS_PER_TASK` channels:

1. the series `views` and `revenue_cents` (YouTube's ad + other revenue) of each
   channel with at least `YTEMPIRE_FORECAST_MIN_DAYS` (28) final days; the others
   are logged with the reason and get no rows;
2. the back-test (statsforecast's `cross_validation`: 8 origins a week apart,
   horizons 1-7, AutoETS, AutoTheta and seasonal naive) where it is due: none yet,
   a week of new final days since the one in force, or `backtest: true`
   (on demand), into `analytics.forecast_backtest`. It needs 84 final days;
3. per channel and metric, the candidate with the lowest back-test MAE at horizons
   1-7, seasonal naive where none beats it or where no back-test exists yet (the
   log and `summarise_forecasts` say so per channel); 30 days with 80 % and 95 %
   intervals into `analytics.forecast_daily`.

One transaction per batch; a re-run over the same data leaves every row as it was.
A failed task alerts with the forecasts runbook; a channel whose forecast worsens
badly in its back-test is alerted by `analytics_quality_checks` (class forecasts).
Details: docs/forecasts.md.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import AssetOrTimeSchedule, CronTriggerTimetable, Param, dag, task

from ytempire import airflow as af
from ytempire import assets, settings
from ytempire.runbooks import FORECASTS


@dag(
    schedule=AssetOrTimeSchedule(
        timetable=CronTriggerTimetable("0 7 * * *", timezone=settings.WAREHOUSE_TZ),
        assets=assets.YT_CHANNEL_DAILY,
    ),
    start_date=af.START_DATE,
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=3),
    default_args=af.default_args_with_runbook(FORECASTS),
    template_searchpath=af.TEMPLATE_SEARCHPATH,
    tags=["ytempire", "forecast"],
    doc_md=__doc__,
    params={
        "backtest": Param(
            False, type="boolean",
            description="Back-test every channel now, due or not (on demand).",
        ),
        "channel_ids": Param(
            None, type=["null", "array"],
            description="Only these active channels (default: every active channel).",
        ),
    },
)
def analytics_forecasts():
    @task(inlets=[assets.DIM_CHANNEL])
    def plan_forecast_batches(params=None) -> list[list[dict]]:
        return af.plan_channel_batches(settings.FORECAST_CHANNELS_PER_TASK, params["channel_ids"])

    @task(
        execution_timeout=timedelta(hours=2),
        map_index_template="{{ channel_batch }}",
        max_active_tis_per_dagrun=settings.FORECAST_PARALLEL_TASKS,
        inlets=[assets.YT_CHANNEL_DAILY, assets.FORECAST_BACKTEST_SUMMARY],
        outlets=[assets.FORECAST_BACKTEST, assets.FORECAST_DAILY],
    )
    def forecast_channel_batch(channels, dag_run=None, params=None) -> list[dict]:
        return af.forecast_channel_batch(channels, af.logical_time(dag_run), params["backtest"])

    @task(multiple_outputs=False)
    def summarise_forecasts(batches) -> dict:
        return af.summarise_forecasts(list(batches))

    summarise_forecasts(forecast_channel_batch.expand(channels=plan_forecast_batches()))


analytics_forecasts()

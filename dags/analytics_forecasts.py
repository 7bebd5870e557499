"""
### Daily forecasts of views and revenue per channel, and their weekly back-test

Runs every day at 07:00 warehouse time, after the revenue load. For a run whose
logical date falls on Pacific day P, every active channel is forecast from its
**final days** up to P-1 (the days YouTube has reported: `yt_channel_daily`; the
provisional days after them are never used), in parallel batches of
`YTEMPIRE_FORECAST_CHANNELS_PER_TASK` channels:

1. the series `views` and `revenue_cents` (YouTube's ad + other revenue) of each
   channel with at least `YTEMPIRE_FORECAST_MIN_DAYS` (28) final days; the others
   are logged with the reason and get no rows;
2. the back-test (statsforecast's `cross_validation`: 8 origins a week apart,
   horizons 1-7, AutoETS, AutoTheta and seasonal naive) where it is due: none yet,
   a week of new final days since the one in force, or `backtest: true`
   (on demand), into `analytics.forecast_backtest`;
3. per channel and metric, the candidate with the lowest back-test MAE at horizons
   1-7, seasonal naive where none beats it (or the history is too short for a
   back-test); 30 days with 80 % and 95 % intervals into `analytics.forecast_daily`.

One transaction per batch; a re-run over the same data leaves every row as it was.
A failed task alerts with the forecasts runbook; a channel whose forecast worsens
badly in its back-test is alerted by `analytics_quality_checks` (class forecasts).
Details: docs/forecasts.md.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from airflow.sdk import CronTriggerTimetable, Param, dag, task

from ytempire import settings
from ytempire.dag_defaults import (
    DEFAULT_ARGS,
    START_DATE,
    TEMPLATE_SEARCHPATH,
    logical_time,
    notify_task_failure_with,
)
from ytempire.runbooks import FORECASTS

log = logging.getLogger(__name__)


@dag(
    schedule=CronTriggerTimetable("0 7 * * *", timezone=settings.WAREHOUSE_TZ),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=3),
    default_args={**DEFAULT_ARGS, "on_failure_callback": [notify_task_failure_with(FORECASTS)]},
    template_searchpath=TEMPLATE_SEARCHPATH,
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
    @task
    def plan_forecast_batches(params=None) -> list:
        from ytempire.warehouse import connect
        from ytempire.youtube.batch import batches
        from ytempire.youtube.channels import active_channels

        with connect() as conn:
            channel_ids = [c.channel_id for c in active_channels(conn)]
        wanted = params.get("channel_ids")
        if wanted:
            channel_ids = [c for c in channel_ids if c in set(wanted)]
        channel_batches = batches(channel_ids, settings.FORECAST_CHANNELS_PER_TASK)
        log.info("%d channel(s) in %d batch(es)", len(channel_ids), len(channel_batches))
        return channel_batches

    @task(max_active_tis_per_dagrun=settings.FORECAST_PARALLEL_TASKS)
    def forecast_channel_batch(channel_ids: list, dag_run=None, run_id=None, params=None,
                               ti=None) -> list:
        from ytempire.forecasts.run import forecast_channels, trained_through_limit
        from ytempire.steplog import logged_step, step_name
        from ytempire.warehouse import connect

        through = trained_through_limit(logical_time(dag_run))
        name = step_name(f"batch{ti.map_index}")  # one step per mapped batch
        with connect() as conn, logged_step(conn, name, transaction=False) as step:
            outcomes = forecast_channels(conn, list(channel_ids), through, run_id,
                                         force_backtest=params["backtest"])
            step.rows = sum(o.status == "forecast" for o in outcomes)
        return [o.as_dict() for o in outcomes]

    @task
    def report_forecasts(batches) -> dict:
        outcomes = [o for batch in batches for o in batch]
        skipped = {o["channel_id"]: o["reason"] for o in outcomes if o["status"] == "skipped"}
        totals = {
            "channels": len(outcomes),
            "forecast": len(outcomes) - len(skipped),
            "backtested": sum(o["backtested"] for o in outcomes),
            "skipped": skipped,
        }
        log.info("%(forecast)d of %(channels)d channel(s) forecast, %(backtested)d "
                 "back-tested", totals)
        for channel_id, reason in skipped.items():
            log.info("not forecast: %s (%s)", channel_id, reason)
        return totals

    report_forecasts(forecast_channel_batch.expand(channel_ids=plan_forecast_batches()))


analytics_forecasts()

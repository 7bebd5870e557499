"""
### Daily YouTube revenue, daily-only metrics and cost attribution

Runs every day at 05:00 warehouse time (`WAREHOUSE_TZ`, DST-aware). For a run
whose logical date falls on warehouse day P, the window is the YouTube
(Pacific) days P-3 .. P-1 (`lookback_days`); the run whose P is the 16th also
re-pulls the whole previous month (YouTube's month-end adjustment).
`start_date` / `end_date` replace the window: backfills, and the history of a
newly registered channel (with `channel_ids` to load only that channel):

    airflow dags trigger youtube_revenue_attribution \\
        --conf '{"start_date": "2026-09-01", "end_date": "2026-10-31", "channel_ids": ["UC..."]}'

For every active channel (`dim_channel.status = 'active'`, each through the
connection named in `metadata->>'youtube_conn_id'`, default `youtube_default`),
in parallel batches (dynamic task mapping):

1. refresh the uploads list into `dim_video`, so no new video is missed;
2. ask the channel's `dimensions=day` report over the window: the days it
   returns are ready and are (re)loaded; the others are left untouched;
3. per ready day, ask the per-video figures (`dimensions=video`, batches of
   200 ids; unmonetised channels without the monetary metrics) and land, in
   ONE transaction per channel and day: `yt_channel_daily`, `yt_video_daily`
   (as sent), `revenue_attribution` (YouTube + `partner_revenue` + costs from
   `cost_tracking`, channel-only costs spread by views or kept in
   `unallocated_cost`), and the spread of the daily-only metrics and cost over
   the day's hourly rows of `fact_video_performance` (sums exact);
4. re-attribute every (channel, day) whose costs or partner revenue changed
   since the last run, whatever its age (`revenue_input_invalidation`).

Bad rows (missing fields, negative numbers, unknown video ids, strings for
numbers, repeated rows) go to `load_quarantine` with the raw row and a reason;
rows received = loaded + quarantined, logged and returned per channel.

Failures: a channel whose token answers `invalid_grant` is marked as needing
re-authorisation in `dim_channel.metadata` (and skipped quietly while the mark
stays and the token still fails); the other channels load, then the task
fails naming it. `quotaExceeded` stops the task at once: every channel-day
already written is whole, nothing of the day in progress is written.
Retryable errors are retried by the client, then by the task.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import CronTriggerTimetable, Param, dag, task

from ytempire import airflow as af
from ytempire import assets, settings
from ytempire.youtube.revenue.window import DEFAULT_LOOKBACK_DAYS


@dag(
    schedule=CronTriggerTimetable("0 5 * * *", timezone=settings.WAREHOUSE_TZ),
    start_date=af.START_DATE,
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=8),
    default_args=af.DEFAULT_ARGS,
    template_searchpath=af.TEMPLATE_SEARCHPATH,
    tags=["ytempire", "revenue"],
    doc_md=__doc__,
    params={
        "lookback_days": Param(
            DEFAULT_LOOKBACK_DAYS, type="integer", minimum=1,
            description="Daily window: the YouTube days P-lookback .. P-1.",
        ),
        "start_date": Param(
            None, type=["null", "string"],
            description="First YouTube day to load (YYYY-MM-DD); replaces the daily window.",
        ),
        "end_date": Param(
            None, type=["null", "string"],
            description="Last YouTube day to load (YYYY-MM-DD); default P-1 with start_date.",
        ),
        "channel_ids": Param(
            None, type=["null", "array"],
            description="Only these active channels (default: every active channel).",
        ),
    },
)
def youtube_revenue_attribution():
    @task(multiple_outputs=False)
    def plan_revenue_window(dag_run=None, params=None) -> dict:
        return af.revenue_window(af.logical_time(dag_run), params)

    @task(inlets=[assets.DIM_CHANNEL])
    def plan_channel_batches(params=None) -> list[list[dict]]:
        return af.plan_channel_batches(settings.REVENUE_CHANNELS_PER_TASK, params["channel_ids"])

    @task(inlets=assets.FACT_PARTITIONS, outlets=assets.FACT_PARTITIONS)
    def ensure_fact_partitions(window) -> list[str]:
        from ytempire.partitions import youtube_days
        from ytempire.youtube.revenue.window import Window

        days = Window.from_dict(window)
        return af.ensure_fact_partitions(*youtube_days(days.first, days.last))

    @task(
        multiple_outputs=False,
        execution_timeout=timedelta(hours=4),
        map_index_template="{{ channel_batch }}",
        max_active_tis_per_dagrun=settings.REVENUE_PARALLEL_TASKS,
        inlets=[*assets.UPLOADS_SYNC_READS, assets.COST_TRACKING, assets.PARTNER_REVENUE,
                assets.FACT_VIDEO_PERFORMANCE, assets.YT_VIDEO_DAILY, assets.REVENUE_ATTRIBUTION],
        outlets=[*assets.UPLOADS_SYNC_WRITES, assets.YT_CHANNEL_DAILY, assets.YT_VIDEO_DAILY,
                 assets.REVENUE_ATTRIBUTION, assets.UNALLOCATED_COST,
                 assets.FACT_VIDEO_PERFORMANCE, assets.LOAD_QUARANTINE],
    )
    def load_channel_revenue(channels, window, dag_run=None) -> dict:
        from ytempire.youtube import revenue
        from ytempire.youtube.revenue.window import Window

        load = revenue.load(Window.from_dict(window))
        return af.run_channel_batch(channels, load, af.logical_time(dag_run), "revenue load")

    @task(multiple_outputs=False, inlets=[assets.UNALLOCATED_COST, assets.UNATTRIBUTED_INPUTS])
    def report_revenue_load(batches, window) -> dict:
        return af.report_revenue_load(list(batches), window)

    window = plan_revenue_window()
    channel_batches = plan_channel_batches()
    loads = load_channel_revenue.partial(window=window).expand(channels=channel_batches)
    ensure_fact_partitions(window) >> loads
    report_revenue_load(loads, window)


youtube_revenue_attribution()

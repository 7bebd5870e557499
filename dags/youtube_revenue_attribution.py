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

import logging
from datetime import timedelta

from airflow.sdk import CronTriggerTimetable, Param, dag, task

from ytempire import settings
from ytempire.dag_defaults import DEFAULT_ARGS, START_DATE, TEMPLATE_SEARCHPATH, logical_time
from ytempire.youtube import revenue

log = logging.getLogger(__name__)


@dag(
    schedule=CronTriggerTimetable("0 5 * * *", timezone=settings.WAREHOUSE_TZ),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=8),
    default_args=DEFAULT_ARGS,
    template_searchpath=TEMPLATE_SEARCHPATH,
    tags=["ytempire", "revenue"],
    doc_md=__doc__,
    params={
        "lookback_days": Param(
            revenue.DEFAULT_LOOKBACK_DAYS, type="integer", minimum=1,
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
    @task
    def plan_revenue_window(dag_run=None, params=None) -> dict:
        from airflow.sdk.exceptions import AirflowFailException

        run_time = logical_time(dag_run)
        try:
            window = revenue.revenue_window(
                run_time, params["lookback_days"], params["start_date"], params["end_date"])
        except ValueError as err:
            raise AirflowFailException(f"bad window parameters: {err}") from err
        log.info("logical time %s: YouTube days %s (%d days)", run_time,
                 window.to_dict()["ranges"], len(window.days()))
        return window.to_dict()

    @task
    def list_channel_batches(params=None) -> list:
        from airflow.sdk.exceptions import AirflowFailException

        from ytempire.warehouse import connect
        from ytempire.youtube.batch import batches
        from ytempire.youtube.channels import active_channels

        with connect() as conn:
            channel_ids = [c.channel_id for c in active_channels(conn)]
        wanted = params.get("channel_ids")
        if wanted:
            unknown = sorted(set(wanted) - set(channel_ids))
            if unknown:
                raise AirflowFailException(f"channel_ids not active in dim_channel: {unknown}")
            channel_ids = [c for c in channel_ids if c in set(wanted)]
        channel_batches = batches(channel_ids, revenue.CHANNELS_PER_TASK)
        log.info("%d channel(s) in %d batch(es) of up to %d", len(channel_ids),
                 len(channel_batches), revenue.CHANNELS_PER_TASK)
        return channel_batches

    @task
    def ensure_fact_partitions(window: dict) -> list[str]:
        from ytempire import partitions

        days = revenue.Window.from_dict(window)
        return partitions.run_partition_step(*partitions.youtube_days(days.first, days.last))

    @task(execution_timeout=timedelta(hours=4), max_active_tis_per_dagrun=revenue.PARALLEL_TASKS)
    def load_channel_revenue(channel_ids: list, window: dict, dag_run=None, run_id=None) -> list:
        from ytempire.steplog import step_name
        from ytempire.warehouse import connect
        from ytempire.youtube.batch import raise_for_failures

        with connect() as conn:
            reports, failures = revenue.load_channel_batch(
                conn, list(channel_ids), revenue.Window.from_dict(window),
                at=logical_time(dag_run), run_id=run_id, step_prefix=step_name(),
            )
        for report in reports:
            log.info("%s", report.as_dict())
        raise_for_failures(failures, "revenue load")
        return [r.as_dict() for r in reports]

    @task
    def report_revenue_load(loads, window: dict) -> dict:
        from ytempire.warehouse import connect, sql_file

        reports = [report for batch in loads for report in batch]
        totals = {k: sum(r[k] for r in reports) for k in ("received", "loaded", "quarantined")}
        totals["channels"] = len(reports)
        totals["skipped_needs_reauthorisation"] = sorted(
            r["channel_id"] for r in reports if r["status"] != "loaded")
        days = revenue.Window.from_dict(window)
        with connect() as conn:
            leftovers = conn.execute(sql_file("youtube/revenue/unallocated_summary.sql"),
                                     {"first_day": days.first, "last_day": days.last}).fetchall()
        totals["not_attributed"] = {kind: {"entries": n, "cents": cents}
                                    for kind, n, cents in leftovers if n}
        log.info("rows received %d = loaded %d + quarantined %d over %d channel(s); %s",
                 totals["received"], totals["loaded"], totals["quarantined"], totals["channels"],
                 totals["not_attributed"] or "every cost attributed")
        if totals["received"] != totals["loaded"] + totals["quarantined"]:
            raise RuntimeError(f"rows unaccounted for: {totals}")
        return totals

    window = plan_revenue_window()
    channel_batches = list_channel_batches()
    loads = load_channel_revenue.partial(window=window).expand(channel_ids=channel_batches)
    ensure_fact_partitions(window) >> loads
    report_revenue_load(loads, window)


youtube_revenue_attribution()

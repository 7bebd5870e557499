"""
### Reach reports: thumbnail impressions and click-through rate per video and day

Runs every day at 07:00 warehouse time. For every active channel (through its own
connection: a Reporting API job lists only its token's channel), in parallel batches:

1. makes sure the channel has a YouTube Reporting API job for `channel_reach_basic_a1`
   (created once and recorded in `youtube_reporting_job`; YouTube's first reports come
   about 48 hours later, with 30 days of back-fill);
2. lists the job's reports and downloads, through Google's client, every day's report
   not loaded yet and every newer report YouTube made for a day already loaded;
3. lands each report in one transaction: the channel's rows of that day in
   `analytics.yt_reach_daily` are replaced (a re-download replaces, never duplicates),
   malformed lines go to `load_quarantine` with the reason; received = loaded +
   quarantined.

`redownload: true` re-loads the newest report of every day YouTube still lists
(60 days; 30 for back-fill). Days of the last 60 without a loaded report are logged:
past YouTube's retention they can no longer be loaded. Failures follow the YouTube
DAGs' channel policy (re-authorisation marked, quota stops the batch).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from airflow.sdk import CronTriggerTimetable, Param, dag, task

from ytempire import settings
from ytempire.dag_defaults import DEFAULT_ARGS, START_DATE, TEMPLATE_SEARCHPATH, logical_time

log = logging.getLogger(__name__)


@dag(
    schedule=CronTriggerTimetable("0 7 * * *", timezone=settings.WAREHOUSE_TZ),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=4),
    default_args=DEFAULT_ARGS,
    template_searchpath=TEMPLATE_SEARCHPATH,
    tags=["ytempire", "youtube"],
    doc_md=__doc__,
    params={"redownload": Param(False, type="boolean",
                                description="Re-load every listed report (replaces rows).")},
)
def youtube_reporting_reports():
    @task
    def list_reach_channel_batches() -> list:
        from ytempire.warehouse import connect
        from ytempire.youtube.batch import batches
        from ytempire.youtube.channels import active_channels

        with connect() as conn:
            channel_ids = [c.channel_id for c in active_channels(conn)]
        return batches(channel_ids, settings.REVENUE_CHANNELS_PER_TASK)

    @task(max_active_tis_per_dagrun=settings.REVENUE_PARALLEL_TASKS)
    def load_reach_reports(channel_ids: list, dag_run=None, run_id=None, params=None) -> list:
        from ytempire.warehouse import connect
        from ytempire.youtube.batch import raise_for_failures
        from ytempire.youtube.reach.load import load_channel_batch

        with connect() as conn:
            outcomes, failures = load_channel_batch(
                conn, list(channel_ids), at=logical_time(dag_run), run_id=run_id,
                redownload=bool(params["redownload"]))
        for outcome in outcomes:
            log.info("%s", outcome.as_dict())
        raise_for_failures(failures, "reach reports")
        return [o.as_dict() for o in outcomes]

    @task
    def report_reach_load(loads) -> dict:
        outcomes = [o for batch in loads for o in batch]
        totals = {k: sum(o[k] for o in outcomes) for k in ("received", "loaded", "quarantined")}
        totals["channels"] = len(outcomes)
        totals["reports"] = sum(len(o["reports_loaded"]) for o in outcomes)
        totals["waiting_for_first_reports"] = sorted(
            o["channel_id"] for o in outcomes if o["waiting_for_first_reports"])
        log.info("reach: %s", totals)
        if totals["received"] != totals["loaded"] + totals["quarantined"]:
            raise RuntimeError(f"rows unaccounted for: {totals}")
        return totals

    loads = load_reach_reports.expand(channel_ids=list_reach_channel_batches())
    report_reach_load(loads)


youtube_reporting_reports()

"""
### Reach reports: thumbnail impressions and click-through rate per video and day

Runs every day at 07:00 warehouse time. For every active channel (through its own
connection: a Reporting API job lists only its token's channel), in parallel batches
(dynamic task mapping):

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
(60 days; 30 for back-fill). `report_reach_load` names the channels still waiting for
their first reports and the days of the last 60 without a loaded report: past
YouTube's retention they can no longer be loaded. Failures follow the YouTube loads'
channel policy (re-authorisation marked, quota stops the batch).
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import CronTriggerTimetable, Param, dag, task

from ytempire import airflow as af
from ytempire import assets, settings


@dag(
    schedule=CronTriggerTimetable("0 7 * * *", timezone=settings.WAREHOUSE_TZ),
    start_date=af.START_DATE,
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=4),
    default_args=af.DEFAULT_ARGS,
    template_searchpath=af.TEMPLATE_SEARCHPATH,
    tags=["ytempire", "youtube"],
    doc_md=__doc__,
    params={"redownload": Param(False, type="boolean",
                                description="Re-load every listed report (replaces rows).")},
)
def youtube_reporting_reports():
    @task(inlets=[assets.DIM_CHANNEL])
    def plan_channel_batches() -> list[list[dict]]:
        return af.plan_channel_batches(settings.REVENUE_CHANNELS_PER_TASK)

    @task(
        multiple_outputs=False,
        map_index_template="{{ channel_batch }}",
        max_active_tis_per_dagrun=settings.REVENUE_PARALLEL_TASKS,
        inlets=[assets.DIM_CHANNEL, assets.DIM_VIDEO],
        outlets=[assets.YT_REACH_DAILY, assets.LOAD_QUARANTINE],
    )
    def load_reach_reports(channels, dag_run=None, params=None) -> dict:
        from ytempire.youtube import reach

        at = af.logical_time(dag_run)
        return af.run_channel_batch(channels, reach.load(at, params["redownload"]), at,
                                    "reach reports")

    @task(multiple_outputs=False)  # reads only the Reporting API's job and report records
    def report_reach_load(batches, dag_run=None) -> dict:
        return af.report_reach_load(list(batches), af.logical_time(dag_run))

    report_reach_load(load_reach_reports.expand(channels=plan_channel_batches()))


youtube_reporting_reports()

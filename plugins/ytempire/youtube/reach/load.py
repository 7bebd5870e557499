"""One channel's reach: its Reporting API job, new reports downloaded, rows landed.

- The job is created once (recorded in `youtube_reporting_job`; a job YouTube already
  has is reused, never duplicated).
- A report is downloaded when its day has no report loaded yet, or when YouTube made a
  newer report for the day (a restatement); `redownload` re-loads the newest report of
  every listed day. Each report lands in ONE transaction: the channel's rows of that day
  in `yt_reach_daily` are replaced, refused lines go to `load_quarantine`, the report is
  recorded. Downloads happen before the transaction, never inside it.
- YouTube's lag: a new job's first reports come about 48 hours after its creation; until
  then an empty listing is expected, not an error. Retention: YouTube lists reports for
  60 days (back-fill ones 30), so a day not loaded within that time can no longer be:
  the outcome names the days of the last 60 that have no report loaded.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

import psycopg

from ytempire.quarantine import quarantine
from ytempire.settings import YOUTUBE_ZONE
from ytempire.warehouse import sql_file
from ytempire.youtube.client import YouTubeClient
from ytempire.youtube.reach import fetch
from ytempire.youtube.reach.parse import ReachRows, parse_reach_csv

log = logging.getLogger(__name__)

SQL = "youtube/reach/"
SOURCE = "youtube_reporting_reports.channel_reach_basic_a1"
FIRST_REPORTS_AFTER = timedelta(hours=48)
RETENTION_DAYS = 60


@dataclass
class ReachOutcome:
    channel_id: str
    job_id: str
    reports_listed: int = 0
    reports_loaded: list[str] = field(default_factory=list)
    received: int = 0
    loaded: int = 0
    quarantined: int = 0
    waiting_for_first_reports: bool = False
    days_without_report: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def ensure_job(conn: psycopg.Connection, client: YouTubeClient, channel_id: str) -> fetch.Job:
    params = {"channel_id": channel_id, "report_type_id": fetch.REACH_REPORT_TYPE}
    row = conn.execute(sql_file(SQL + "reporting_job.sql"), params).fetchone()
    if row:
        return fetch.Job(*row)
    job = fetch.find_job(client) or fetch.create_job(client)
    with conn.transaction():
        conn.execute(sql_file(SQL + "record_reporting_job.sql"),
                     params | {"job_id": job.job_id, "job_created_at": job.created_at})
    log.info("channel %s: reach job %s (created %s)", channel_id, job.job_id, job.created_at)
    return job


def reports_to_load(listed: list[fetch.ListedReport], loaded: dict[date, datetime],
                    redownload: bool) -> list[fetch.ListedReport]:
    """The newest report of each day, where it is newer than the one loaded (or all)."""
    newest: dict[date, fetch.ListedReport] = {}
    for report in listed:
        if report.day not in newest or report.created_at > newest[report.day].created_at:
            newest[report.day] = report
    return [r for day, r in sorted(newest.items())
            if redownload or day not in loaded or r.created_at > loaded[day]]


def load_channel(conn: psycopg.Connection, client: YouTubeClient, channel_id: str,
                 logical_time: datetime, run_id: str, redownload: bool = False) -> ReachOutcome:
    job = ensure_job(conn, client, channel_id)
    out = ReachOutcome(channel_id, job.job_id)
    listed = fetch.list_reports(client, job.job_id)
    out.reports_listed = len(listed)
    loaded = {day: created for day, _, created in conn.execute(
        sql_file(SQL + "loaded_reports.sql"), {"channel_id": channel_id})}
    videos = {r[0] for r in conn.execute(sql_file(SQL + "channel_videos.sql"),
                                         {"channel_id": channel_id})}
    for report in reports_to_load(listed, loaded, redownload):
        data = fetch.download(client, report)
        rows = parse_reach_csv(data, report.day, channel_id, videos)
        write_report(conn, channel_id, job.job_id, report, rows, run_id)
        loaded[report.day] = report.created_at
        out.reports_loaded.append(report.report_id)
        out.received += rows.received
        out.loaded += rows.accepted
        out.quarantined += len(rows.rejected)
    out.waiting_for_first_reports = not listed and logical_time < (
        job.created_at + FIRST_REPORTS_AFTER + timedelta(days=1))
    out.days_without_report = [d.isoformat() for d in _expected_days(job, logical_time)
                               if d not in loaded]
    if out.days_without_report and not out.waiting_for_first_reports:
        log.warning("channel %s: %d day(s) of the last %d have no reach report loaded "
                    "(YouTube keeps reports %d days): %s", channel_id,
                    len(out.days_without_report), RETENTION_DAYS, RETENTION_DAYS,
                    out.days_without_report)
    return out


def _expected_days(job: fetch.Job, logical_time: datetime) -> list[date]:
    """Days a report should exist for by now: from the job's back-fill (30 days before
    it) or the retention horizon, to the last day past YouTube's 48-hour lag."""
    today = logical_time.astimezone(YOUTUBE_ZONE).date()
    first = max(job.created_at.astimezone(YOUTUBE_ZONE).date() - timedelta(days=30),
                today - timedelta(days=RETENTION_DAYS - 2))
    last = (logical_time - FIRST_REPORTS_AFTER).astimezone(YOUTUBE_ZONE).date() - timedelta(
        days=1)
    if logical_time < job.created_at + FIRST_REPORTS_AFTER:
        return []
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def write_report(conn: psycopg.Connection, channel_id: str, job_id: str,
                 report: fetch.ListedReport, rows: ReachRows, run_id: str) -> None:
    """Replace the channel's rows of the report's day, in one transaction."""
    day = {"channel_id": channel_id, "day": report.day}
    with conn.transaction():
        conn.execute(sql_file(SQL + "delete_channel_day.sql"), day)
        with conn.cursor() as cur, cur.copy(sql_file(SQL + "copy_reach_rows.sql")) as copy:
            for video, (impressions, ctr) in sorted(rows.rows.items()):
                copy.write_row((video, report.day, channel_id, impressions, ctr,
                                report.report_id, report.created_at, run_id))
        quarantine(conn, SOURCE, rows.rejected, run_id)
        conn.execute(sql_file(SQL + "record_report.sql"), day | {
            "report_id": report.report_id, "job_id": job_id,
            "report_created_at": report.created_at, "received": rows.received,
            "loaded": rows.accepted, "quarantined": len(rows.rejected), "run_id": run_id})


def load_channel_batch(conn: psycopg.Connection, channel_ids: list[str], *, at: datetime,
                       run_id: str, redownload: bool = False):
    """Each channel of the batch under the shared failure policy (`youtube.batch`)."""
    from ytempire.youtube.batch import channel_client, run_channel_batch
    from ytempire.youtube.channels import active_channels

    conn.autocommit = True
    registry = {c.channel_id: c for c in active_channels(conn)}

    def collect_one(cid: str) -> ReachOutcome:
        client = channel_client(cid, registry[cid].conn_id, apis=(fetch.API,))
        return load_channel(conn, client, cid, at, run_id, redownload)

    return run_channel_batch(conn, [c for c in channel_ids if c in registry], collect_one, at)

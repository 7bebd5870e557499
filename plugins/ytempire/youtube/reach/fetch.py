"""What the reach load asks YouTube's Reporting API, one unit of work at a time.

The channel's `channel_reach_basic_a1` job: the one recorded in the warehouse, else the
one YouTube already has, else a new one (a second job for the same report type answers
409; the one made meanwhile is found instead): a new job is a unit of its own, recorded
before any report. Then the job's reports are listed, and each report due (its day has
none loaded, or YouTube made a newer one for it: a restatement; every listed day with
`redownload`) is downloaded before its day is written. Google's client builds every
request from the `youtubereporting` v1 discovery document it ships.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

import psycopg
from googleapiclient.errors import HttpError

from ytempire import settings
from ytempire.settings import YOUTUBE_ZONE
from ytempire.warehouse import sql_file
from ytempire.youtube.channels import Channel
from ytempire.youtube.client import YouTubeClient

SQL = "youtube/reach/"
REACH_REPORT_TYPE = "channel_reach_basic_a1"


@dataclass(frozen=True)
class Job:
    """The channel's reach job; as a unit, a job just found or created, to be recorded."""

    job_id: str
    created_at: datetime
    kind = "job"
    label = ""
    received = 0


@dataclass(frozen=True)
class ListedReport:
    report_id: str
    day: date  # the Pacific day the report covers
    created_at: datetime
    resource_name: str


@dataclass(frozen=True)
class Download:
    """One report's file as YouTube sent it, with what checking its lines needs."""

    job_id: str
    report: ListedReport
    data: bytes
    videos: frozenset[str]  # the channel's videos in dim_video


def instant(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def fetch(conn: psycopg.Connection, client: YouTubeClient, channel: Channel,
          logical_time: datetime, redownload: bool) -> Iterator[Job | Download]:
    cid = channel.channel_id
    params = {"channel_id": cid, "report_type_id": REACH_REPORT_TYPE}
    row = conn.execute(sql_file(SQL + "reporting_job.sql"), params).fetchone()
    job = Job(*row) if row else None
    if job is None:
        job = find_job(client) or create_job(client)
        yield job
    loaded = {day: created for day, _, created in conn.execute(
        sql_file(SQL + "loaded_reports.sql"), {"channel_id": cid})}
    videos = frozenset(r[0] for r in conn.execute(sql_file(SQL + "channel_videos.sql"),
                                                  {"channel_id": cid}))
    for report in reports_to_load(list_reports(client, job.job_id), loaded, redownload):
        yield Download(job.job_id, report, download(client, report), videos)


def reports_to_load(listed: list[ListedReport], loaded: dict[date, datetime],
                    redownload: bool) -> list[ListedReport]:
    """The newest report of each day, where it is newer than the one loaded (or all)."""
    newest: dict[date, ListedReport] = {}
    for report in listed:
        if report.day not in newest or report.created_at > newest[report.day].created_at:
            newest[report.day] = report
    return [r for day, r in sorted(newest.items())
            if redownload or day not in loaded or r.created_at > loaded[day]]


def _pages(request_for: Callable[[str | None], Any], key: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    token = None
    while True:
        page = request_for(token).execute(num_retries=settings.CLIENT_RETRIES)
        items += page.get(key, [])
        token = page.get("nextPageToken")
        if not token:
            return items


def find_job(client: YouTubeClient) -> Job | None:
    """The channel's existing reach job at YouTube, if any."""
    jobs = _pages(lambda token: client.reporting.jobs().list(pageToken=token), "jobs")
    found = [j for j in jobs if j.get("reportTypeId") == REACH_REPORT_TYPE]
    return Job(found[0]["id"], instant(found[0]["createTime"])) if found else None


def create_job(client: YouTubeClient) -> Job:
    body = {"reportTypeId": REACH_REPORT_TYPE, "name": "ytempire reach"}
    try:
        job = client.reporting.jobs().create(body=body).execute(
            num_retries=settings.CLIENT_RETRIES)
    except HttpError as err:
        existing = find_job(client) if err.status_code == 409 else None
        if existing is None:
            raise
        return existing
    return Job(job["id"], instant(job["createTime"]))


def list_reports(client: YouTubeClient, job_id: str) -> list[ListedReport]:
    reports = _pages(lambda token: client.reporting.jobs().reports().list(
        jobId=job_id, pageToken=token), "reports")
    return [ListedReport(r["id"], instant(r["startTime"]).astimezone(YOUTUBE_ZONE).date(),
                         instant(r["createTime"]), resource_name(r["downloadUrl"]))
            for r in reports]


def resource_name(download_url: str) -> str:
    """`downloadUrl` is `.../v1/media/<resourceName>?alt=media`."""
    return urlsplit(download_url).path.split("/v1/media/", 1)[1]


def download(client: YouTubeClient, report: ListedReport) -> bytes:
    request = client.reporting.media().download_media(resourceName=report.resource_name)
    data: bytes = request.execute(num_retries=settings.CLIENT_RETRIES)
    return data

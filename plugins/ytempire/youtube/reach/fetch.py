"""Reporting API calls: the channel's reach job (created once), its reports, their files.

Google's client builds every request from the `youtubereporting` v1 discovery document
it ships; under an `api_root` the requests go to `{api_root}/v1/...`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlsplit

from ytempire.settings import YOUTUBE_ZONE
from ytempire.youtube.client import YouTubeClient, YouTubeError

REACH_REPORT_TYPE = "channel_reach_basic_a1"
API = ("youtubereporting", "v1")


@dataclass(frozen=True)
class Job:
    job_id: str
    created_at: datetime


@dataclass(frozen=True)
class ListedReport:
    report_id: str
    day: date  # the Pacific day the report covers
    created_at: datetime
    resource_name: str


def instant(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def find_job(client: YouTubeClient) -> Job | None:
    """The channel's existing reach job at YouTube, if any."""
    jobs, token = [], None
    while True:
        page = client.execute(client.service(API[0]).jobs().list(pageToken=token), "jobs.list")
        jobs += page.get("jobs", [])
        token = page.get("nextPageToken")
        if not token:
            break
    found = [j for j in jobs if j.get("reportTypeId") == REACH_REPORT_TYPE]
    return Job(found[0]["id"], instant(found[0]["createTime"])) if found else None


def create_job(client: YouTubeClient) -> Job:
    """Create the reach job; one made meanwhile by someone else (409) is found instead."""
    body = {"reportTypeId": REACH_REPORT_TYPE, "name": "ytempire reach"}
    try:
        job = client.execute(client.service(API[0]).jobs().create(body=body), "jobs.create")
    except YouTubeError as err:
        existing = find_job(client) if err.reason in ("alreadyExists", "409") else None
        if existing is None:
            raise
        return existing
    return Job(job["id"], instant(job["createTime"]))


def list_reports(client: YouTubeClient, job_id: str) -> list[ListedReport]:
    reports, token = [], None
    jobs = client.service(API[0]).jobs()
    while True:
        page = client.execute(jobs.reports().list(jobId=job_id, pageToken=token),
                              "jobs.reports.list")
        reports += page.get("reports", [])
        token = page.get("nextPageToken")
        if not token:
            break
    return [ListedReport(r["id"], instant(r["startTime"]).astimezone(YOUTUBE_ZONE).date(),
                         instant(r["createTime"]), resource_name(r["downloadUrl"]))
            for r in reports]


def resource_name(download_url: str) -> str:
    """`downloadUrl` is `.../v1/media/<resourceName>?alt=media`."""
    return urlsplit(download_url).path.split("/v1/media/", 1)[1]


def download(client: YouTubeClient, report: ListedReport) -> bytes:
    request = client.service(API[0]).media().download_media(resourceName=report.resource_name)
    return client.execute(request, "media.download")

"""YouTube Reporting API v1 over a World: report types, jobs, reports and CSV media.

- A job is per channel (the token's) and report type; creating a second one for the
  same type answers 409 ALREADY_EXISTS, as Google does.
- Reports are daily (Pacific days). A new job's first reports appear REPORT_LAG after its
  creation and back-fill BACKFILL_DAYS days; later days appear REPORT_LAG after the day
  ends. Reports are listed for RETENTION after they were made (back-fill ones for
  BACKFILL_RETENTION), then they and their media are gone.
- `restate(channel_id, day)` makes YouTube publish a corrected report for a day: a new
  report id, a later createTime, impressions scaled by RESTATED_IMPRESSIONS.
- `channel_reach_basic_a1` rows come from `World.reach` (true effects of the titles and
  thumbnails shown included): one row per video with data that day. The CSV header is
  REACH_COLUMNS; `date` is YYYYMMDD; the CTR is a fraction (0.05 = 5 %).
"""

from __future__ import annotations

import csv
import io
import itertools
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .errors import ApiError, bad_request
from .faults import Faults, corrupt_rows
from .world import World, iso_z, pacific_date, pacific_day_bounds

REACH = "channel_reach_basic_a1"
REPORT_TYPES = {
    "channel_basic_a2": "User activity",
    REACH: "Reach: thumbnail impressions and click-through rate",
    "channel_reach_combined_a1": "Reach by traffic source and device",
}
REACH_COLUMNS = ("date", "channel_id", "video_id", "video_thumbnail_impressions",
                 "video_thumbnail_impressions_ctr")
REPORT_LAG = timedelta(hours=48)
BACKFILL_DAYS = 30
RETENTION = timedelta(days=60)
BACKFILL_RETENTION = timedelta(days=30)
RESTATED_IMPRESSIONS = 0.97
PAGE_SIZE = 50


@dataclass(frozen=True)
class Job:
    id: str
    channel_id: str
    report_type_id: str
    name: str
    created: datetime

    def resource(self) -> dict:
        return {"id": self.id, "reportTypeId": self.report_type_id, "name": self.name,
                "createTime": iso_z(self.created)}


@dataclass(frozen=True)
class Report:
    id: str
    job: Job
    day: date
    created: datetime
    version: int

    @property
    def resource_name(self) -> str:
        return f"CHANNEL/{self.job.channel_id}/jobs/{self.job.id}/reports/{self.id}"

    def resource(self, media_root: str) -> dict:
        start, end = pacific_day_bounds(self.day)
        return {"id": self.id, "jobId": self.job.id, "startTime": iso_z(start),
                "endTime": iso_z(end), "createTime": iso_z(self.created),
                "downloadUrl": f"{media_root}/v1/media/{self.resource_name}?alt=media"}


class Reporting:
    """The server-side state: jobs and restatements (the figures come from the World)."""

    def __init__(self, world: World):
        self.world = world
        self.jobs: dict[str, Job] = {}
        self._ids = itertools.count(1)
        self.restatements: dict[tuple[str, date], list[datetime]] = {}

    def restate(self, channel_id: str, day: date, at: datetime | None = None) -> None:
        self.restatements.setdefault((channel_id, day), []).append(at or self.world.clock)

    # -- endpoints ----------------------------------------------------------------------

    def report_types(self) -> dict:
        return {"reportTypes": [{"id": k, "name": v} for k, v in REPORT_TYPES.items()]}

    def create_job(self, channel_id: str, body: dict) -> dict:
        type_id = body.get("reportTypeId")
        if type_id not in REPORT_TYPES:
            raise bad_request(f"Unknown report type: {type_id!r}", reason="invalidArgument")
        if any(j.channel_id == channel_id and j.report_type_id == type_id
               for j in self.jobs.values()):
            raise ApiError(409, "alreadyExists",
                           f"A job for report type {type_id} already exists.")
        job = Job(f"job-{next(self._ids):04d}", channel_id, type_id,
                  str(body.get("name") or type_id), self.world.clock)
        self.jobs[job.id] = job
        return job.resource()

    def list_jobs(self, channel_id: str) -> dict:
        return {"jobs": [j.resource() for j in self.jobs.values() if j.channel_id == channel_id]}

    def _job(self, job_id: str, channel_id: str) -> Job:
        job = self.jobs.get(job_id)
        if job is None or job.channel_id != channel_id:
            raise ApiError(404, "notFound", f"Job {job_id} not found.")
        return job

    def reports(self, job: Job) -> list[Report]:
        """Every report of the job listed now, oldest day first."""
        now = self.world.clock
        first_ready = job.created + REPORT_LAG
        if now < first_ready:
            return []
        first = pacific_date(job.created) - timedelta(days=BACKFILL_DAYS)
        out = []
        day = first
        while (made := max(pacific_day_bounds(day)[1] + REPORT_LAG, first_ready)) <= now:
            backfill = day < pacific_date(job.created)
            kept = BACKFILL_RETENTION if backfill else RETENTION
            versions = [made, *self.restatements.get((job.channel_id, day), [])]
            for version, created in enumerate(versions, start=1):
                if created <= now < created + kept:
                    out.append(Report(f"{day:%Y%m%d}{version:02d}{job.id[-4:]}", job, day,
                                      created, version))
            day += timedelta(days=1)
        return out

    def list_reports(self, channel_id: str, job_id: str, params: dict[str, str],
                     media_root: str) -> dict:
        job = self._job(job_id, channel_id)
        chosen = self.reports(job)
        if params.get("createdAfter"):
            after = _instant(params["createdAfter"])
            chosen = [r for r in chosen if r.created > after]
        if params.get("startTimeAtOrAfter"):
            chosen = [r for r in chosen if pacific_day_bounds(r.day)[0] >= _instant(
                params["startTimeAtOrAfter"])]
        if params.get("startTimeBefore"):
            chosen = [r for r in chosen if pacific_day_bounds(r.day)[0] < _instant(
                params["startTimeBefore"])]
        size = int(params.get("pageSize") or PAGE_SIZE)
        offset = int(params.get("pageToken") or 0)
        page = chosen[offset:offset + size]
        body = {"reports": [r.resource(media_root) for r in page]}
        if offset + size < len(chosen):
            body["nextPageToken"] = str(offset + size)
        return body

    def media(self, resource_name: str, channel_id: str, faults: Faults) -> bytes:
        parts = resource_name.split("/")
        if len(parts) != 6 or parts[0] != "CHANNEL" or parts[1] != channel_id:
            raise ApiError(404, "notFound", f"Media {resource_name} not found.")
        job = self._job(parts[3], channel_id)
        report = next((r for r in self.reports(job) if r.id == parts[5]), None)
        if report is None:
            raise ApiError(404, "notFound", f"Report {parts[5]} not found (or expired).")
        rows = [list(r) for r in report_rows(self.world, channel_id, report.day,
                                             report.version)]
        headers = [{"name": n, "columnType": "METRIC" if n.startswith("video_thumb")
                    else "DIMENSION"} for n in REACH_COLUMNS]
        rows = corrupt_rows(faults, headers, rows, report.day, report.day, None,
                            video_column="video_id", day_column="date")
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(REACH_COLUMNS)
        writer.writerows(rows)
        return out.getvalue().encode("utf-8")


def report_rows(world: World, channel_id: str, day: date, version: int = 1) -> list[tuple]:
    """The reach rows of a channel's day as YouTube's report version `version` has them."""
    rows = []
    for video in world.videos_of(channel_id):
        if not video.has_data_on(day):
            continue
        reach = world.reach(video.id, day)
        impressions = reach.impressions
        if version > 1:
            impressions = int(impressions * RESTATED_IMPRESSIONS)
        clicks = min(reach.clicks, impressions)
        ctr = clicks / impressions if impressions else 0.0
        rows.append((f"{day:%Y%m%d}", channel_id, video.id, impressions, repr(ctr)))
    return rows


def _instant(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise bad_request(f"Invalid timestamp: {value!r}", reason="invalidArgument") from None

"""A `channel_reach_basic_a1` CSV into reach rows per (video, day), and the rows refused.

Columns are found by header name. Dimension columns other than `date`, `channel_id` and
`video_id` (should YouTube add any) are summed over: impressions add up, the CTR is
the impressions-weighted mean. A data line is refused (quarantined with the reason) when
a field is missing, `date` is not the report's day, the video is not one of the
channel's, impressions are not a whole number >= 0, the CTR is not a fraction in [0, 1],
or the same dimensions were already seen (a repeated line).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from ytempire.quarantine import Rejected
from ytempire.youtube.channels import Channel
from ytempire.youtube.client import YouTubeError
from ytempire.youtube.reach.fetch import Download, Job

IMPRESSIONS = "video_thumbnail_impressions"
CTR = "video_thumbnail_impressions_ctr"
REQUIRED = ("date", "video_id", IMPRESSIONS, CTR)


@dataclass
class ReachRows:
    rows: dict[str, tuple[int, Decimal]] = field(default_factory=dict)  # video -> (impr, ctr)
    rejected: list[Rejected] = field(default_factory=list)
    received: int = 0
    accepted: int = 0  # data lines that went into `rows`


class ReportFormatError(ValueError):
    """The file is not a reach report (its header lacks a required column)."""


@dataclass(frozen=True)
class ReachReport:
    """One downloaded report, checked: a unit of the reach load."""

    job_id: str
    report_id: str
    day: date
    created_at: datetime
    rows: ReachRows
    kind = "report"

    @property
    def label(self) -> str:
        return self.day.isoformat()

    @property
    def received(self) -> int:
        return self.rows.received


def parse(raw: Job | Download, channel: Channel) -> Job | ReachReport:
    """A download's lines checked; a file that is no reach report fails the channel (not
    retryable: the same file would come again)."""
    if isinstance(raw, Job):
        return raw
    report = raw.report
    try:
        rows = parse_reach_csv(raw.data, report.day, channel.channel_id, set(raw.videos))
    except ReportFormatError as err:
        raise YouTubeError(channel.channel_id, "bad_report",
                           f"report {report.report_id} of {report.day}: {err}",
                           retryable=False) from err
    return ReachReport(raw.job_id, report.report_id, report.day, report.created_at, rows)


def parse_reach_csv(data: bytes, day: date, channel_id: str, known_videos: set[str]) -> ReachRows:
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    header = next(reader, None)
    if header is None:
        raise ReportFormatError("empty report file (no header)")
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ReportFormatError(f"reach report without columns {missing}: header {header}")
    out = ReachRows()
    clicks: dict[str, Decimal] = {}
    impressions: dict[str, int] = {}
    seen: set[tuple] = set()
    dimensions = [i for i, name in enumerate(header) if name not in (IMPRESSIONS, CTR)]
    for line in reader:
        out.received += 1
        payload = dict(zip(header, line, strict=False)) | ({"_line": line} if len(
            line) != len(header) else {})
        reason = _problem(header, line, day, known_videos)
        key = tuple(line[i] for i in dimensions if i < len(line))
        if reason is None and key in seen:
            reason = "repeated line: the same dimensions appear twice in the report"
        if reason:
            video = payload.get("video_id")
            out.rejected.append(Rejected(reason, payload, channel_id,
                                         video if isinstance(video, str) and video else None,
                                         day))
            continue
        seen.add(key)
        row = dict(zip(header, line, strict=True))
        video, count = row["video_id"], int(row[IMPRESSIONS])
        impressions[video] = impressions.get(video, 0) + count
        clicks[video] = clicks.get(video, Decimal(0)) + count * Decimal(row[CTR])
        out.accepted += 1
    for video, count in impressions.items():
        ctr = clicks[video] / count if count else Decimal(0)
        out.rows[video] = (count, ctr)
    return out


def _problem(header: list[str], line: list[str], day: date, known: set[str]) -> str | None:
    if len(line) != len(header):
        return f"{len(line)} fields for {len(header)} columns"
    row = dict(zip(header, line, strict=True))
    try:
        row_day = datetime.strptime(row["date"], "%Y%m%d").date()
    except ValueError:
        return f"date {row['date']!r} is not YYYYMMDD"
    if row_day != day:
        return f"a line of {row_day} in the report of {day}"
    if row["video_id"] not in known:
        return f"video {row['video_id']!r} is not a video of this channel in dim_video"
    if not row[IMPRESSIONS].isdigit():
        return f"impressions {row[IMPRESSIONS]!r} are not a whole number >= 0"
    try:
        ctr = Decimal(row[CTR])
    except InvalidOperation:
        return f"CTR {row[CTR]!r} is not a number"
    if not ctr.is_finite() or not 0 <= ctr <= 1:
        return f"CTR {row[CTR]!r} is not a fraction between 0 and 1"
    return None

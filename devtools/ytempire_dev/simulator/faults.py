"""Fault configuration and the corruption of analytics rows."""

from __future__ import annotations

import random
from dataclasses import dataclass, field, fields, replace
from datetime import date

DATA_ENDPOINTS = frozenset({"channels", "playlistItems", "videos", "videoCategories",
                            "videos.update", "thumbnails.set"})
REPORTING_ENDPOINTS = frozenset({"reporting.reportTypes", "reporting.jobs", "reporting.reports",
                                 "reporting.media"})
API_ENDPOINTS = DATA_ENDPOINTS | {"reports"} | REPORTING_ENDPOINTS
# Data API units per call (developers.google.com/youtube/v3/determine_quota_cost)
UNITS = {"videos.update": 50, "thumbnails.set": 50}
MALFORMED_KINDS = ("short", "negative", "unknown_video", "string", "duplicate")
# not a video of any world: ids are drawn from a different alphabet position
UNKNOWN_VIDEO_ID = "zzUNKNOWN0z"


@dataclass(frozen=True)
class MalformedRow:
    """Corrupt the analytics row of `video_id` (None = any) for `day` (None = any)."""

    kind: str
    video_id: str | None = None
    day: date | None = None

    def __post_init__(self):
        if self.kind not in MALFORMED_KINDS:
            raise ValueError(f"unknown malformed kind {self.kind!r}; one of {MALFORMED_KINDS}")


@dataclass(frozen=True)
class Faults:
    seed: int = 0
    # seeded share of API calls answered with one of error_statuses (429/500/503)
    error_rate: float = 0.0
    error_statuses: tuple[int, ...] = (429, 503)
    error_endpoints: frozenset[str] = API_ENDPOINTS
    # the next N API calls fail with fail_status (exact, for retry tests)
    fail_next: int = 0
    fail_status: int = 503
    # after this many units spent on quota_endpoints (1 per list call, 50 per write),
    # every further call that would exceed it is quotaExceeded
    quota_after: int | None = None
    quota_endpoints: frozenset[str] = DATA_ENDPOINTS
    # channels whose refresh token is revoked (token endpoint: invalid_grant; API: 401)
    invalid_grant: frozenset[str] = frozenset()
    delay_ms: int = 0
    # a write (videos.update, thumbnails.set) is applied, then answered only after this
    # long: a test kills the client in between (a run killed mid-switch)
    hang_after_write_seconds: float = 0.0
    malformed: tuple[MalformedRow, ...] = ()
    malformed_rate: float = 0.0
    malformed_kinds: tuple[str, ...] = MALFORMED_KINDS

    def updated(self, **changes) -> Faults:
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"unknown fault settings: {sorted(unknown)}")
        for name in ("error_endpoints", "quota_endpoints", "invalid_grant"):
            if name in changes:
                changes[name] = frozenset(changes[name])
        for name in ("error_statuses", "malformed_kinds"):
            if name in changes:
                changes[name] = tuple(changes[name])
        bad_kinds = set(changes.get("malformed_kinds", ())) - set(MALFORMED_KINDS)
        if bad_kinds:
            raise ValueError(f"unknown malformed kinds {sorted(bad_kinds)}")
        if "malformed" in changes:
            changes["malformed"] = tuple(_malformed(m) for m in changes["malformed"])
        return replace(self, **changes)


def _malformed(m) -> MalformedRow:
    if isinstance(m, MalformedRow):
        return m
    day = m.get("day")
    return MalformedRow(
        kind=m["kind"],
        video_id=m.get("video_id"),
        day=date.fromisoformat(day) if isinstance(day, str) else day,
    )


def corrupt_rows(
    faults: Faults,
    headers: list[dict],
    rows: list[list],
    start: date,
    end: date,
    filter_ids: list[str] | None,
    video_column: str = "video",
    day_column: str = "day",
) -> list[list]:
    """Apply malformed-row faults to a report's rows.

    A row's video is its `video_column`, else the filter's only id; its day is
    its `day_column` (ISO date, basic or extended), else the query's single day
    (startDate == endDate).
    """
    if not rows or not (faults.malformed or faults.malformed_rate):
        return rows
    names = [h["name"] for h in headers]
    vcol = names.index(video_column) if video_column in names else None
    dcol = names.index(day_column) if day_column in names else None
    first_metric = next(i for i, h in enumerate(headers) if h["columnType"] == "METRIC")
    out = []
    for row in rows:
        video = (
            row[vcol]
            if vcol is not None
            else (filter_ids[0] if filter_ids and len(filter_ids) == 1 else None)
        )
        day = (
            date.fromisoformat(row[dcol]) if dcol is not None else (start if start == end else None)
        )
        kind = _kind_for(faults, video, day)
        if kind is None:
            out.append(row)
        elif kind == "short":
            out.append(row[:-1])
        elif kind == "negative":
            bad = list(row)
            bad[first_metric] = -abs(bad[first_metric]) - 1
            out.append(bad)
        elif kind == "string":
            bad = list(row)
            bad[first_metric] = "n/a"
            out.append(bad)
        elif kind == "duplicate":
            out.extend([row, list(row)])
        elif kind == "unknown_video":
            out.append(row)
            if vcol is not None:
                extra = list(row)
                extra[vcol] = UNKNOWN_VIDEO_ID
                out.append(extra)
    return out


def _kind_for(faults: Faults, video: str | None, day: date | None) -> str | None:
    for m in faults.malformed:
        if (m.video_id is None or m.video_id == video) and (m.day is None or m.day == day):
            return m.kind
    if faults.malformed_rate and faults.malformed_kinds:
        # keyed on the row, not on call order, so a re-run sees the same bad rows
        rng = random.Random(f"malformed:{faults.seed}:{video}:{day}")
        if rng.random() < faults.malformed_rate:
            return rng.choice(faults.malformed_kinds)
    return None


@dataclass
class FaultState:
    """Mutable counters that go with a Faults config."""

    faults: Faults = field(default_factory=Faults)
    quota_used: int = 0  # units spent on quota_endpoints since the last reset
    quota_mark: int = 0  # quota_used when quota_after was last set
    rng: random.Random = field(default_factory=lambda: random.Random("faults:0"))

    def configure(self, faults: Faults) -> None:
        if faults.seed != self.faults.seed or faults.error_rate != self.faults.error_rate:
            self.rng = random.Random(f"faults:{faults.seed}")
        if faults.quota_after != self.faults.quota_after:
            self.quota_mark = self.quota_used
        self.faults = faults

    def transient_error(self, endpoint: str) -> int | None:
        f = self.faults
        if endpoint not in f.error_endpoints:
            return None
        if f.fail_next > 0:
            self.faults = replace(f, fail_next=f.fail_next - 1)
            return f.fail_status
        if f.error_rate and self.rng.random() < f.error_rate:
            return self.rng.choice(f.error_statuses)
        return None

    def over_quota(self, endpoint: str) -> bool:
        f = self.faults
        if endpoint not in f.quota_endpoints:
            return False
        units = UNITS.get(endpoint, 1)
        if f.quota_after is not None and (
                self.quota_used - self.quota_mark + units > f.quota_after):
            return True
        self.quota_used += units
        return False

"""Checking an hour's `videos.list` statistics against the ids asked for (pure).

Every item received is either a row or a rejection (with its raw payload), so
received == len(rows) + len(rejected). Missing likeCount/commentCount is normal (likes
hidden, comments disabled), not bad input.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ytempire.quarantine import Rejected
from ytempire.youtube.channels import Channel
from ytempire.youtube.hourly.fetch import FetchedHour

COUNTERS = ("viewCount", "likeCount", "commentCount")
MAX_BIGINT = 2**63 - 1


@dataclass(frozen=True)
class Counters:
    """One video's validated lifetime counters (None: hidden or disabled)."""

    video_id: str
    view_count: int
    like_count: int | None
    comment_count: int | None


@dataclass(frozen=True)
class ParsedHour:
    """One channel's hour, ready to write: the runner's unit."""

    hour: datetime
    rows: list[Counters]
    rejected: list[Rejected]
    missing: list[str]  # requested, not answered: deleted or private
    received: int
    kind: str = "load"
    label: str = ""


def _counter(stats: dict[str, Any], name: str) -> tuple[int | None, str | None]:
    """(value, None) or (None, reason); an absent like/comment count is (None, None)."""
    if name not in stats or stats[name] is None:
        return None, ("missing viewCount" if name == "viewCount" else None)
    raw = stats[name]
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        return None, f"non-numeric counter {name}={raw!r}"
    text = str(raw).strip()
    digits = text[1:] if text[:1] in "+-" else text
    if not digits.isascii() or not digits.isdigit():
        return None, f"non-numeric counter {name}={raw!r}"
    value = int(text)
    if value < 0:
        return None, f"negative lifetime count {name}={value}"
    if value > MAX_BIGINT:
        return None, f"counter out of range {name}={value}"
    return value, None


def parse_statistics(items: list[Any], requested: list[str], channel_id: str,
                     hour: datetime) -> ParsedHour:
    """Validates videos.list statistics items of one channel against the ids asked for."""
    wanted = set(requested)
    seen: set[str] = set()
    rows: list[Counters] = []
    rejected: list[Rejected] = []
    payload_hour = hour.isoformat()

    def reject(item: Any, reason: str, video_id: str | None = None) -> None:
        rejected.append(Rejected(
            reason=reason, payload={"snapshot_hour": payload_hour, "item": item},
            channel_id=channel_id, video_id=video_id[:50] if video_id else None,
        ))

    for item in items:
        video_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(video_id, str) or not video_id:
            reject(item, "item without a video id")
            continue
        if video_id not in wanted:
            reject(item, f"unknown video id {video_id!r}: not asked for this channel", video_id)
            continue
        if video_id in seen:
            reject(item, f"duplicate video id {video_id!r} in one answer", video_id)
            continue
        seen.add(video_id)
        stats = item.get("statistics")
        if not isinstance(stats, dict):
            reject(item, "item without statistics", video_id)
            continue
        values: dict[str, int | None] = {}
        reasons = []
        for name in COUNTERS:
            values[name], reason = _counter(stats, name)
            if reason:
                reasons.append(reason)
        if reasons:
            reject(item, "; ".join(reasons), video_id)
            continue
        rows.append(Counters(video_id, values["viewCount"] or 0, values["likeCount"],
                             values["commentCount"]))
    missing = sorted(wanted - seen)
    return ParsedHour(hour, rows, rejected, missing, received=len(items))


def parse(fetched: FetchedHour, channel: Channel, hour: datetime) -> ParsedHour:
    return parse_statistics(fetched.items, fetched.video_ids, channel.channel_id, hour)

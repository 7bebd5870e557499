"""The uploads sync's answers as `dim_channel` and `dim_video` store them (pure)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ytempire.youtube.uploads.fetch import FetchedUploads

log = logging.getLogger(__name__)

THUMBNAIL_SIZES = ("maxres", "standard", "high", "medium", "default")
_ISO_DURATION = re.compile(
    r"^P(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


@dataclass(frozen=True)
class ChannelInfo:
    """What channels.list says about a channel."""

    channel_id: str
    title: str
    handle: str | None
    subscriber_count: int | None
    video_count: int | None
    uploads_playlist_id: str | None
    published: date | None


@dataclass(frozen=True)
class VideoMetadata:
    """One videos.list item (snippet, contentDetails), as dim_video stores it."""

    video_id: str
    title: str
    description: str | None
    duration_seconds: int | None
    publish_date: datetime | None
    thumbnail_url: str | None
    tags: list[str]
    category_id: str | None


@dataclass
class Uploads:
    """A parsed uploads sync."""

    channel: ChannelInfo
    playlist_ids: list[str]
    requested: list[str]
    videos: list[VideoMetadata]
    ignored: list[str] = field(default_factory=list)  # answered ids that were not asked for
    categories: dict[str, str] = field(default_factory=dict)  # new category id -> name


def parse_iso_duration(text: str | None) -> int | None:
    """Seconds of an ISO 8601 duration as videos.list sends it ("PT1H2M3S", "P1DT2H", "P0D").

    None for anything else (a malformed duration is stored as unknown, not guessed).
    """
    if not text:
        return None
    match = _ISO_DURATION.match(text)
    if not match or text in ("P", "PT") or text.endswith("T"):
        return None
    parts = {k: float(v) if k == "seconds" else int(v) for k, v in match.groupdict().items() if v}
    seconds = (
        parts.get("weeks", 0) * 7 * 86400 + parts.get("days", 0) * 86400
        + parts.get("hours", 0) * 3600 + parts.get("minutes", 0) * 60 + parts.get("seconds", 0)
    )
    return int(seconds)


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        log.warning("unreadable publish time %r", text)
        return None


def _count(value: object) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def _thumbnail(snippet: dict[str, Any]) -> str | None:
    thumbnails = snippet.get("thumbnails") or {}
    for size in THUMBNAIL_SIZES:
        url = (thumbnails.get(size) or {}).get("url")
        if url:
            return str(url)
    return None


def parse_channel(channel_id: str, item: dict[str, Any]) -> ChannelInfo:
    snippet = item.get("snippet") or {}
    stats = item.get("statistics") or {}
    playlists = (item.get("contentDetails") or {}).get("relatedPlaylists") or {}
    published = _parse_time(snippet.get("publishedAt"))
    hidden_subscribers = stats.get("hiddenSubscriberCount") is True
    return ChannelInfo(
        channel_id=channel_id,
        title=snippet.get("title") or channel_id,
        handle=snippet.get("customUrl") or None,
        subscriber_count=None if hidden_subscribers else _count(stats.get("subscriberCount")),
        video_count=_count(stats.get("videoCount")),
        uploads_playlist_id=playlists.get("uploads") or None,
        published=published.date() if published else None,
    )


def parse_video(item: dict[str, Any]) -> VideoMetadata:
    snippet = item.get("snippet") or {}
    details = item.get("contentDetails") or {}
    duration = details.get("duration")
    seconds = parse_iso_duration(duration)
    if duration and seconds is None:
        log.warning("video %s: unreadable duration %r stored as unknown", item.get("id"), duration)
    return VideoMetadata(
        video_id=item["id"],
        title=snippet.get("title") or "",
        description=snippet.get("description"),
        duration_seconds=seconds,
        publish_date=_parse_time(snippet.get("publishedAt")),
        thumbnail_url=_thumbnail(snippet),
        tags=[str(t) for t in snippet.get("tags") or []],
        category_id=snippet.get("categoryId"),
    )


def parse(fetched: FetchedUploads) -> Uploads:
    """Ids missing from the answers are unavailable (deleted or private); answered ids
    that were not asked for, or answered twice, are ignored (logged)."""
    wanted = set(fetched.requested)
    found: dict[str, VideoMetadata] = {}
    ignored: list[str] = []
    for item in fetched.videos:
        video_id = item.get("id") if isinstance(item, dict) else None
        if video_id not in wanted or video_id in found:
            ignored.append(str(video_id))
            continue
        found[video_id] = parse_video(item)
    if ignored:
        log.warning("channel %s: videos.list answered %d id(s) not asked for, ignored: %s",
                    fetched.channel_id, len(ignored), ignored[:20])
    categories = {item["id"]: title for item in fetched.categories
                  if item.get("id") and (title := (item.get("snippet") or {}).get("title"))}
    return Uploads(parse_channel(fetched.channel_id, fetched.channel), fetched.playlist_ids,
                   fetched.requested, list(found.values()), ignored, categories)

"""The channel and video catalog (`dim_channel`, `dim_video`) from the Data API.

Public functions (all take an open psycopg 3 connection and a `YouTubeClient`
from `ytempire.youtube.client.client_for`):

- `sync_uploads(conn, client, channel, at) -> list[str]`: the full sync of one
  channel. One `channels.list` call (snippet, contentDetails, statistics)
  refreshes the channel's name, handle, subscriber and video counts and its
  uploads playlist id (`dim_channel.uploads_playlist_id`); `playlistItems.list`
  pages (50 a page) list its uploads; `videos.list` (snippet, contentDetails;
  50 ids a call) over the uploads plus every video already known as available
  gives each video's metadata. Then, in one transaction: new videos are
  inserted (title, description, publish time, duration in seconds from ISO
  8601, tags, category, thumbnail); known ones get their current metadata;
  `category` is YouTube's category name (`videoCategories.list`, asked only
  for ids not yet in `analytics.youtube_video_category`: 1 unit, rarely) and
  `video_type` the content system's label (`analytics.content_video_type`),
  else the operators' mapping from the category
  (`analytics.video_type_by_category`);
  known ones that `videos.list` no longer returns (deleted, private) are marked
  `is_available = false, unavailable_since = at`; `last_uploads_sync_at`
  becomes `at` (never moving back). A video published after the channel's
  previous uploads sync is flagged `starts_from_zero` (the hourly collector
  then counts its first snapshot in full). Returns the ids of the channel's
  available videos, sorted; unavailable ones stay in `dim_video` (their
  history still counts), so query `dim_video` when you need every video.
  Cost: 1 + ceil(uploads / 50) + ceil(videos / 50) quota units, plus 1 when a
  category id is new.
- `fetch_uploads(client, channel_id, known_ids, known_categories)` and
  `apply_uploads(conn, fetched, at)`: `sync_uploads` in its two halves (all
  API calls, then all writes), for callers that time or wrap the database part.

`channel` is a channel id or anything with a `channel_id` attribute (such as
`ytempire.youtube.channels.ActiveChannel`). `at` is the logical time the sync
stands for (never the wall clock); an aware datetime.

Transactions: every write happens inside `conn.transaction()`: on an idle or
autocommit connection that is a transaction of its own, inside a caller's
transaction a savepoint. API calls happen before any write, so a failed call
(quota, invalid_grant, ...) leaves the catalog untouched. Writes are set-based:
rows are streamed with COPY into a session temp table, then one statement from
`include/sql/youtube/catalog/` merges them. Errors from the API are the
client's `YouTubeError` / `ReauthorisationNeeded`; a channel that
`channels.list` does not return raises `YouTubeError(reason="channelNotFound")`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime

import psycopg

from ytempire.warehouse import sql_file
from ytempire.youtube.batch import batches
from ytempire.youtube.client import YouTubeClient, YouTubeError

log = logging.getLogger(__name__)

PAGE_SIZE = 50  # the Data API's maximum for playlistItems.list and ids per videos.list
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
class FetchedUploads:
    """Everything an uploads sync read from the API, before any write."""

    channel: ChannelInfo
    playlist_ids: list[str]
    requested: list[str]
    videos: list[VideoMetadata]
    ignored: list[str] = field(default_factory=list)  # answered ids that were not asked for
    categories: dict[str, str] = field(default_factory=dict)  # new category id -> name


@dataclass(frozen=True)
class VideoSync:
    """The outcome of merging videos into dim_video."""

    channel_id: str
    available: list[str]
    inserted: int
    updated: int
    marked_unavailable: int


def _channel_id(channel) -> str:
    return channel if isinstance(channel, str) else channel.channel_id


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


def _count(value) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def _thumbnail(snippet: dict) -> str | None:
    thumbnails = snippet.get("thumbnails") or {}
    for size in THUMBNAIL_SIZES:
        url = (thumbnails.get(size) or {}).get("url")
        if url:
            return url
    return None


def parse_channel(channel_id: str, item: dict) -> ChannelInfo:
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


def parse_video(item: dict) -> VideoMetadata:
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


# --- API reads -----------------------------------------------------------------

def fetch_channel(client: YouTubeClient, channel_id: str) -> ChannelInfo:
    """channels.list (snippet, contentDetails, statistics) for one channel: 1 unit."""
    request = client.data.channels().list(part="snippet,contentDetails,statistics", id=channel_id)
    answer = client.execute(request, "channels.list")
    item = next((i for i in answer.get("items") or [] if i.get("id") == channel_id), None)
    if item is None:
        raise YouTubeError(channel_id, "channelNotFound",
                           "channels.list does not return the channel (deleted, terminated or a "
                           "wrong id in dim_channel)", retryable=False)
    return parse_channel(channel_id, item)


def fetch_playlist_video_ids(client: YouTubeClient, playlist_id: str) -> list[str]:
    """Every video id of a playlist, 50 a page (ceil(n / 50) units, at least 1)."""
    ids: list[str] = []
    token = None
    while True:
        request = client.data.playlistItems().list(
            part="contentDetails", playlistId=playlist_id, maxResults=PAGE_SIZE, pageToken=token)
        try:
            answer = client.execute(request, "playlistItems.list")
        except YouTubeError as err:
            if err.reason == "playlistNotFound" and not ids:
                # YouTube answers 404 for the uploads playlist of a channel without uploads
                return []
            raise
        for item in answer.get("items") or []:
            video_id = (item.get("contentDetails") or {}).get("videoId")
            if video_id:
                ids.append(video_id)
        token = answer.get("nextPageToken")
        if not token:
            return list(dict.fromkeys(ids))


def fetch_video_metadata(client: YouTubeClient, video_ids: list[str]) -> tuple[list[VideoMetadata],
                                                                                  list[str]]:
    """videos.list (snippet, contentDetails), 50 ids a call: (metadata, ignored ids).

    Ids missing from the answers are unavailable (deleted or private); answered
    ids that were not asked for are ignored and returned as such.
    """
    wanted = set(video_ids)
    found: dict[str, VideoMetadata] = {}
    ignored: list[str] = []
    for batch in batches(video_ids, PAGE_SIZE):
        request = client.data.videos().list(part="snippet,contentDetails", id=",".join(batch))
        answer = client.execute(request, "videos.list")
        for item in answer.get("items") or []:
            video_id = item.get("id") if isinstance(item, dict) else None
            if video_id not in wanted or video_id in found:
                ignored.append(str(video_id))
                continue
            found[video_id] = parse_video(item)
    return list(found.values()), ignored


def fetch_video_categories(client: YouTubeClient, category_ids: list[str]) -> dict[str, str]:
    """videoCategories.list (snippet) for some ids: {id: name}; 1 unit a call."""
    names: dict[str, str] = {}
    for batch in batches(category_ids, PAGE_SIZE):
        request = client.data.videoCategories().list(part="snippet", id=",".join(batch))
        for item in client.execute(request, "videoCategories.list").get("items") or []:
            title = (item.get("snippet") or {}).get("title")
            if item.get("id") and title:
                names[item["id"]] = title
    return names


def fetch_uploads(client: YouTubeClient, channel_id: str, known_ids: list[str],
                  known_categories: set[str] | frozenset[str] = frozenset()) -> FetchedUploads:
    """Every API read of an uploads sync; `known_ids` are the videos already known as
    available, `known_categories` the category ids whose names are cached."""
    channel = fetch_channel(client, channel_id)
    playlist_ids = (fetch_playlist_video_ids(client, channel.uploads_playlist_id)
                    if channel.uploads_playlist_id else [])
    requested = list(dict.fromkeys([*playlist_ids, *sorted(known_ids)]))
    videos, ignored = fetch_video_metadata(client, requested)
    if ignored:
        log.warning("channel %s: videos.list answered %d id(s) not asked for, ignored: %s",
                    channel_id, len(ignored), ignored[:20])
    new_categories = sorted({v.category_id for v in videos if v.category_id} - known_categories)
    categories = fetch_video_categories(client, new_categories) if new_categories else {}
    return FetchedUploads(channel, playlist_ids, requested, videos, ignored, categories)


# --- writes --------------------------------------------------------------------

def available_video_ids(conn: psycopg.Connection, channel) -> list[str]:
    """The channel's videos marked available in dim_video, sorted."""
    with conn.transaction():  # ends here on an idle connection: no transaction spans API calls
        rows = conn.execute(sql_file("youtube/catalog/available_videos.sql"),
                            {"channel_id": _channel_id(channel)}).fetchall()
    return [r[0] for r in rows]


def known_category_ids(conn: psycopg.Connection) -> frozenset[str]:
    """The category ids whose names are cached (no videoCategories.list needed)."""
    with conn.transaction():
        return frozenset(r[0] for r in conn.execute(sql_file("youtube/catalog/known_categories.sql")))


def _write_channel(conn: psycopg.Connection, info: ChannelInfo) -> int:
    conn.execute(sql_file("youtube/catalog/create_channel_stage.sql"))
    with conn.cursor() as cur:
        with cur.copy(sql_file("youtube/catalog/copy_channel_stage.sql")) as copy:
            copy.write_row((info.channel_id, info.title, info.handle, info.subscriber_count,
                            info.video_count, info.uploads_playlist_id, info.published))
        cur.execute(sql_file("youtube/catalog/merge_channel.sql"))
        return cur.rowcount


def _write_videos(conn: psycopg.Connection, channel_id: str, videos: list[VideoMetadata],
                  requested: list[str], at: datetime) -> tuple[int, int, int]:
    previous_sync = conn.execute(sql_file("youtube/catalog/channel_sync_state.sql"),
                                 {"channel_id": channel_id}).fetchone()
    if previous_sync is None:
        raise YouTubeError(channel_id, "unknown_channel",
                           "the channel is not registered in analytics.dim_channel", retryable=False)
    conn.execute(sql_file("youtube/catalog/create_video_stage.sql"))
    with conn.cursor() as cur:
        with cur.copy(sql_file("youtube/catalog/copy_video_stage.sql")) as copy:
            for v in videos:
                copy.write_row((v.video_id, v.title, v.description, v.duration_seconds,
                                v.publish_date, v.thumbnail_url, v.tags, v.category_id))
        cur.execute(sql_file("youtube/catalog/merge_videos.sql"), {
            "channel_id": channel_id, "at": at, "requested": requested,
            "previous_sync_at": previous_sync[0],
        })
        inserted, updated, vanished = cur.fetchone()
    conn.execute(sql_file("youtube/catalog/apply_video_types.sql"), {"channel_id": channel_id})
    return inserted, updated, vanished


def apply_uploads(conn: psycopg.Connection, fetched: FetchedUploads, at: datetime) -> VideoSync:
    """Writes a fetched uploads sync in one transaction (see the module docstring)."""
    _require_aware(at)
    channel_id = fetched.channel.channel_id
    with conn.transaction():
        _write_channel(conn, fetched.channel)
        if fetched.categories:
            ids, names = zip(*sorted(fetched.categories.items()), strict=True)
            conn.execute(sql_file("youtube/catalog/merge_video_categories.sql"),
                         {"category_ids": list(ids), "titles": list(names)})
        inserted, updated, vanished = _write_videos(conn, channel_id, fetched.videos,
                                                    fetched.requested, at)
        conn.execute(sql_file("youtube/catalog/record_uploads_sync.sql"),
                     {"channel_id": channel_id, "at": at})
    result = VideoSync(channel_id, sorted(v.video_id for v in fetched.videos), inserted, updated,
                       vanished)
    log.info("uploads sync of channel %s at %s: %d listed, %d available, %d new, %d updated, "
             "%d no longer returned (marked unavailable)", channel_id, at.isoformat(),
             len(fetched.playlist_ids), len(result.available), inserted, updated, vanished)
    return result


def sync_uploads(conn: psycopg.Connection, client: YouTubeClient, channel, at: datetime) -> list[str]:
    """Refreshes one channel's uploads, its videos' metadata and its own descriptive columns.

    Returns the ids of the channel's available videos (sorted). See the module
    docstring for what is read, written and how it fails.
    """
    _require_aware(at)
    channel_id = _channel_id(channel)
    fetched = fetch_uploads(client, channel_id, available_video_ids(conn, channel_id),
                            known_category_ids(conn))
    return apply_uploads(conn, fetched, at).available


def _require_aware(at: datetime) -> None:
    if at.tzinfo is None:
        raise ValueError("`at` must be an aware datetime (UTC)")

"""Writing a parsed uploads sync: set-based (COPY into session staging, one merge per
table), inside the caller's transaction (the runner's `sync` step)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import psycopg

from ytempire.warehouse import copy_rows, fetch_one, sql_file
from ytempire.youtube.client import YouTubeError
from ytempire.youtube.uploads.parse import Uploads

log = logging.getLogger(__name__)

SQL = "youtube/uploads/"


@dataclass(frozen=True)
class VideoSync:
    """The outcome of an uploads sync."""

    channel_id: str
    available: list[str]
    inserted: int
    updated: int
    marked_unavailable: int


def write(conn: psycopg.Connection, uploads: Uploads, logical_time: datetime) -> VideoSync:
    """The channel, its new category names and its videos, and the sync's time."""
    if logical_time.tzinfo is None:
        raise ValueError("the logical time must be an aware datetime")
    info = uploads.channel
    conn.execute(sql_file(SQL + "create_channel_stage.sql"))
    copy_rows(conn, SQL + "copy_channel_stage.sql", [(
        info.channel_id, info.title, info.handle, info.subscriber_count, info.video_count,
        info.uploads_playlist_id, info.published)])
    conn.execute(sql_file(SQL + "merge_channel.sql"))
    if uploads.categories:
        ids, names = zip(*sorted(uploads.categories.items()), strict=True)
        conn.execute(sql_file(SQL + "merge_video_categories.sql"),
                     {"category_ids": list(ids), "titles": list(names)})
    previous_sync = conn.execute(sql_file(SQL + "channel_sync_state.sql"),
                                 {"channel_id": info.channel_id}).fetchone()
    if previous_sync is None:
        raise YouTubeError(info.channel_id, "unknown_channel",
                           "the channel is not registered in analytics.dim_channel", retryable=False)
    conn.execute(sql_file(SQL + "create_video_stage.sql"))
    copy_rows(conn, SQL + "copy_video_stage.sql", (
        (v.video_id, v.title, v.description, v.duration_seconds, v.publish_date, v.thumbnail_url,
         v.tags, v.category_id) for v in uploads.videos))
    inserted, updated, vanished = fetch_one(conn, SQL + "merge_videos.sql", {
        "channel_id": info.channel_id, "at": logical_time, "requested": uploads.requested,
        "previous_sync_at": previous_sync[0],
    })
    conn.execute(sql_file(SQL + "apply_video_types.sql"), {"channel_id": info.channel_id})
    conn.execute(sql_file(SQL + "record_uploads_sync.sql"),
                 {"channel_id": info.channel_id, "at": logical_time})
    result = VideoSync(info.channel_id, sorted(v.video_id for v in uploads.videos), inserted,
                       updated, vanished)
    log.info("uploads sync of channel %s at %s: %d listed, %d available, %d new, %d updated, "
             "%d no longer returned (marked unavailable)", info.channel_id,
             logical_time.isoformat(), len(uploads.playlist_ids), len(result.available), inserted,
             updated, vanished)
    return result

"""Every API read of a channel's uploads sync, as sent (nothing is written here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import psycopg
from googleapiclient.errors import HttpError

from ytempire import settings
from ytempire.warehouse import sql_file
from ytempire.youtube.channels import batches
from ytempire.youtube.client import YouTubeClient, YouTubeError

PAGE_SIZE = 50  # the Data API's maximum for playlistItems.list and ids per videos.list


@dataclass
class FetchedUploads:
    """The answers of one uploads sync."""

    channel_id: str
    channel: dict[str, Any]  # the channels.list item
    playlist_ids: list[str]  # the uploads, newest first, as listed
    requested: list[str]  # the uploads plus the videos already known as available
    videos: list[Any] = field(default_factory=list)  # videos.list items
    categories: list[Any] = field(default_factory=list)  # videoCategories.list items


def available_video_ids(conn: psycopg.Connection, channel_id: str) -> list[str]:
    """The channel's videos marked available in dim_video, sorted."""
    rows = conn.execute(sql_file("youtube/uploads/available_videos.sql"),
                        {"channel_id": channel_id}).fetchall()
    return [r[0] for r in rows]


def fetch(conn: psycopg.Connection, client: YouTubeClient, channel_id: str) -> FetchedUploads:
    """`conn` in autocommit: its reads end at once, no transaction spans an API call."""
    known = available_video_ids(conn, channel_id)
    cached = {r[0] for r in conn.execute(sql_file("youtube/uploads/known_categories.sql"))}
    channel = _channel_item(client, channel_id)
    playlist = ((channel.get("contentDetails") or {}).get("relatedPlaylists") or {}).get("uploads")
    playlist_ids = _playlist_video_ids(client, playlist) if playlist else []
    requested = list(dict.fromkeys([*playlist_ids, *sorted(known)]))
    fetched = FetchedUploads(channel_id, channel, playlist_ids, requested)
    for batch in batches(requested, PAGE_SIZE):
        request = client.data.videos().list(part="snippet,contentDetails", id=",".join(batch))
        fetched.videos += request.execute(num_retries=settings.CLIENT_RETRIES).get("items") or []
    new = sorted({c for v in fetched.videos if isinstance(v, dict)
                  if (c := (v.get("snippet") or {}).get("categoryId"))} - cached)
    for batch in batches(new, PAGE_SIZE):
        request = client.data.videoCategories().list(part="snippet", id=",".join(batch))
        fetched.categories += request.execute(num_retries=settings.CLIENT_RETRIES).get("items") or []
    return fetched


def _channel_item(client: YouTubeClient, channel_id: str) -> dict[str, Any]:
    request = client.data.channels().list(part="snippet,contentDetails,statistics", id=channel_id)
    items = request.execute(num_retries=settings.CLIENT_RETRIES).get("items") or []
    item: dict[str, Any] | None = next((i for i in items if i.get("id") == channel_id), None)
    if item is None:
        raise YouTubeError(channel_id, "channelNotFound",
                           "channels.list does not return the channel (deleted, terminated or a "
                           "wrong id in dim_channel)", retryable=False)
    return item


def _playlist_video_ids(client: YouTubeClient, playlist_id: str) -> list[str]:
    """Every video id of a playlist, 50 a page (ceil(n / 50) units, at least 1)."""
    ids: list[str] = []
    token = None
    while True:
        request = client.data.playlistItems().list(
            part="contentDetails", playlistId=playlist_id, maxResults=PAGE_SIZE, pageToken=token)
        try:
            answer = request.execute(num_retries=settings.CLIENT_RETRIES)
        except HttpError as err:
            if err.status_code == 404 and not ids:
                # YouTube answers 404 playlistNotFound for the uploads of a channel without any
                return []
            raise
        ids += [v for item in answer.get("items") or []
                if (v := (item.get("contentDetails") or {}).get("videoId"))]
        token = answer.get("nextPageToken")
        if not token:
            return list(dict.fromkeys(ids))

"""What the collector reads before it writes: the channel's state, its available videos
and their counters (`videos.list(part=statistics)`, 50 ids a call), and what that costs."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import psycopg

from ytempire import settings
from ytempire.warehouse import sql_file
from ytempire.youtube.channels import Channel, batches
from ytempire.youtube.client import YouTubeClient, YouTubeError
from ytempire.youtube.runner import Start
from ytempire.youtube.uploads.fetch import PAGE_SIZE, available_video_ids


@dataclass(frozen=True)
class FetchedHour:
    video_ids: list[str]  # asked for
    items: list[Any]  # videos.list items, as sent


def sync_due(last_sync: datetime | None, hour: datetime, every_hours: int | None = None) -> bool:
    """Whether the run for `hour` refreshes the channel's uploads and metadata first."""
    every = settings.METADATA_SYNC_HOURS if every_hours is None else every_hours
    return last_sync is None or hour - last_sync >= timedelta(hours=every)


def start(conn: psycopg.Connection, channel: Channel, hour: datetime) -> Start:
    row = conn.execute(sql_file("youtube/hourly/channel_state.sql"),
                       {"channel_id": channel.channel_id, "hour": hour}).fetchone()
    if row is None:
        raise YouTubeError(channel.channel_id, "unknown_channel",
                           "the channel is not registered in analytics.dim_channel", retryable=False)
    last_sync, _, later_hour_collected = row
    if later_hour_collected:
        return Start(skip=f"a later hour than {hour.isoformat()} is already collected; hour "
                          f"{hour.isoformat()} can no longer be observed again, nothing changed")
    return Start(sync=sync_due(last_sync, hour))


def fetch(conn: psycopg.Connection, client: YouTubeClient,
          channel: Channel) -> Iterator[FetchedHour]:
    """The hour's one unit: the counters of every available video."""
    video_ids = available_video_ids(conn, channel.channel_id)
    items: list[Any] = []
    for batch in batches(video_ids, PAGE_SIZE):
        request = client.data.videos().list(part="statistics", id=",".join(batch))
        items += request.execute(num_retries=settings.CLIENT_RETRIES).get("items") or []
    yield FetchedHour(video_ids, items)


# --- what it costs -------------------------------------------------------------------------

def units_per_hour(videos_per_channel: list[int]) -> int:
    """Data API units of one hourly run without a sync: ceil(videos / 50) per channel."""
    return sum(math.ceil(n / PAGE_SIZE) for n in videos_per_channel)


def units_per_sync(videos_per_channel: list[int]) -> int:
    """Units of one uploads sync of every channel: channels.list, the uploads pages and
    videos.list over the uploads, per channel."""
    return sum(1 + 2 * max(1, math.ceil(n / PAGE_SIZE)) for n in videos_per_channel)


def units_per_day(videos_per_channel: list[int], sync_every_hours: int | None = None) -> int:
    every = settings.METADATA_SYNC_HOURS if sync_every_hours is None else sync_every_hours
    return 24 * units_per_hour(videos_per_channel) + math.ceil(24 / every) * units_per_sync(
        videos_per_channel)

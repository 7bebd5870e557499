"""The hourly counter collector behind `youtube_video_stats_hourly`.

For the logical hour H, each active channel's available videos are read with
`videos.list(part=statistics)`, 50 ids a call (`fetch`), checked (`parse`), and
written for all the channels of a mapped task at once (`write.write_batch`: one
COPY, one set-based merge, one transaction; a channel that can no longer be written
whole is taken out before the merge and fails alone): the snapshots at H
(`analytics.video_stats_snapshot`), the increments at H - 1 hour
(`analytics.fact_video_performance`, views, likes and comments only), the malformed
answers (`analytics.load_quarantine`), and the videos the answer no longer contains
(marked unavailable). The rules for increments are docs/design.md's "Hourly counters";
the SQL is `include/sql/youtube/hourly/`.

A channel whose last uploads sync is `YTEMPIRE_METADATA_SYNC_HOURS` old (or that was
never synced) gets its uploads sync first, so videos published since are collected
too. Only the newest hour can be observed again: a channel that already has a snapshot
later than H is skipped (no API call, no write) and the log says so. Failures follow
the runner's policy (`ytempire.youtube.runner`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ytempire.youtube.runner import ChannelLoad

DAG_ID = "youtube_video_stats_hourly"


def collection_hour(logical_time: datetime) -> datetime:
    """The hour H a run stands for: its logical time truncated to the hour, in UTC."""
    if logical_time.tzinfo is None:
        raise ValueError("the logical time must be aware")
    return logical_time.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def load(hour: datetime) -> ChannelLoad[Any, Any]:
    """The collector of hour H, as the runner drives it. (Imports here: DAG files import
    this package at parse time.)"""
    from functools import partial

    from ytempire.youtube.hourly import fetch, parse, write
    from ytempire.youtube.runner import ChannelLoad

    return ChannelLoad(start=partial(fetch.start, hour=hour), fetch=fetch.fetch,
                       parse=partial(parse.parse, hour=hour),
                       write_batch=write.write_batch)

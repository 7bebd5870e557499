"""Writing one unit of the revenue load inside the runner's transaction, set-based
(COPY into staging, one statement per target table; SQL in include/sql/youtube/revenue/).

A ready (channel, day) lands whole or not at all: the channel total, the video rows as
sent, the attribution (YouTube + partner revenue + mapped costs), the spread of the
daily figures over the day's hourly fact rows, the day's quarantine, and the input
changes it consumed.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import psycopg

from ytempire.quarantine import quarantine
from ytempire.warehouse import copy_rows, fetch_one, sql_file
from ytempire.youtube.channels import Channel
from ytempire.youtube.revenue.parse import ChangedInputs, DayFigures, Undated
from ytempire.youtube.revenue.window import Window
from ytempire.youtube.runner import Written

log = logging.getLogger(__name__)

SQL = "youtube/revenue/"
SOURCE_CHANNEL_DAY = "youtube_revenue_attribution.channel_day"
SOURCE_VIDEO_DAY = "youtube_revenue_attribution.video_day"
STAGE_CHANNEL_COLUMNS = ("views", "estimatedMinutesWatched", "estimatedRevenue", "estimatedAdRevenue")
STAGE_VIDEO_COLUMNS = (
    "views", "likes", "dislikes", "comments", "shares", "estimatedMinutesWatched",
    "averageViewDuration", "estimatedRevenue", "estimatedAdRevenue",
)


def write(conn: psycopg.Connection, channel: Channel, unit: Undated | DayFigures | ChangedInputs,
          run_id: str | None) -> Written:
    cid = channel.channel_id
    if isinstance(unit, Undated):
        # channel-report rows without a usable day: kept per channel, replaced per load
        conn.execute(sql_file(SQL + "clear_quarantine.sql"),
                     {"sources": [SOURCE_CHANNEL_DAY], "channel_id": cid, "day": None})
        return Written(0, quarantine(conn, SOURCE_CHANNEL_DAY, unit.rejected, run_id))
    if isinstance(unit, ChangedInputs):
        counts = _attribute(conn, cid, unit.day, unit.mark)
        log.info("channel %s %s re-attributed after input changes: %s", cid, unit.day, counts)
        return Written(0, 0, counts)
    return _write_day(conn, cid, unit, run_id)


def _write_day(conn: psycopg.Connection, channel_id: str, unit: DayFigures,
               run_id: str | None) -> Written:
    params = {"channel_id": channel_id, "day": unit.day, "run_id": run_id}
    conn.execute(sql_file(SQL + "create_staging.sql"))
    channel_rows = copy_rows(conn, SQL + "copy_channel_stage.sql", [
        tuple(unit.channel_row.get(m) for m in STAGE_CHANNEL_COLUMNS)
    ] if unit.channel_row is not None else [])
    if channel_rows:
        conn.execute(sql_file(SQL + "merge_yt_channel_daily.sql"), params)
    copy_rows(conn, SQL + "copy_video_stage.sql", (
        (vid, *(values.get(m) for m in STAGE_VIDEO_COLUMNS))
        for vid, values in sorted(unit.videos.good.items())))
    kept = sorted({r.video_id for r in unit.videos.rejected if r.video_id} - set(unit.videos.good))
    staged, changed, removed = fetch_one(conn, SQL + "merge_yt_video_daily.sql",
                                         params | {"kept_video_ids": kept})
    counts = _attribute(conn, channel_id, unit.day, unit.mark)
    conn.execute(sql_file(SQL + "clear_quarantine.sql"),
                 params | {"sources": [SOURCE_CHANNEL_DAY, SOURCE_VIDEO_DAY]})
    quarantined = (quarantine(conn, SOURCE_CHANNEL_DAY, unit.channel_rejected, run_id)
                   + quarantine(conn, SOURCE_VIDEO_DAY, unit.videos.rejected, run_id))
    counts |= {"video_rows": staged, "video_rows_changed": changed, "video_rows_removed": removed}
    log.info("channel %s %s loaded: %s", channel_id, unit.day, counts)
    return Written(channel_rows + staged, quarantined, counts)


def _attribute(conn: psycopg.Connection, channel_id: str, day: date, mark: int) -> dict[str, int]:
    """Placeholder fact rows, attribution, spread, consumed change entries."""
    params = {"channel_id": channel_id, "day": day, "mark": mark}
    created = conn.execute(sql_file(SQL + "ensure_fact_rows.sql"), params).rowcount
    attributed, changed, removed, unallocated, _ = fetch_one(conn, SQL + "attribute_revenue.sql",
                                                             params)
    spread = conn.execute(sql_file(SQL + "spread_daily_metrics.sql"), params).rowcount
    consumed = conn.execute(sql_file(SQL + "consume_invalidations.sql"), params).rowcount
    if unallocated:
        log.warning("channel %s %s: %d cent(s) of channel costs kept in analytics.unallocated_cost "
                    "(no video of the channel has a fact row that day)", channel_id, day, unallocated)
    return {"placeholder_rows": created, "attributed": attributed, "attribution_changed": changed,
            "attribution_removed": removed, "fact_rows_respread": spread, "changes_consumed": consumed}


def not_attributed(conn: psycopg.Connection, window: Window) -> dict[str, Any]:
    """What the window's attribution could not carry: channel costs without a video that
    day, and inputs no channel can be found for yet."""
    rows = conn.execute(sql_file(SQL + "unallocated_summary.sql"),
                        {"first_day": window.first, "last_day": window.last}).fetchall()
    return {kind: {"entries": n, "cents": cents} for kind, n, cents in rows if n}

"""Writing one channel's hour, inside the runner's transaction: snapshots, increments,
the hour's quarantine and the videos no longer returned."""

from __future__ import annotations

import logging
from datetime import timedelta

import psycopg

from ytempire.quarantine import quarantine
from ytempire.warehouse import copy_rows, fetch_one, sql_file
from ytempire.youtube.channels import Channel
from ytempire.youtube.hourly.parse import ParsedHour
from ytempire.youtube.runner import Written

log = logging.getLogger(__name__)

SQL = "youtube/hourly/"
QUARANTINE_SOURCE = "youtube_video_stats_hourly"


def write(conn: psycopg.Connection, channel: Channel, parsed: ParsedHour,
          run_id: str | None) -> Written:
    cid, hour = channel.channel_id, parsed.hour
    conn.execute(sql_file(SQL + "create_counter_stage.sql"))
    copy_rows(conn, SQL + "copy_counter_stage.sql", (
        (r.video_id, r.view_count, r.like_count, r.comment_count) for r in parsed.rows))
    staged, snapshots, increments, _facts_written, final_day, later = fetch_one(
        conn, SQL + "merge_counters.sql", {"channel_id": cid, "hour": hour, "run_id": run_id})
    if final_day:
        log.warning("channel %s: %d increment(s) at %s fall on a YouTube day already loaded "
                    "(final): not written", cid, final_day, (hour - timedelta(hours=1)).isoformat())
    if later:
        raise RuntimeError(f"channel {cid}: {later} video(s) got a snapshot later than "
                           f"{hour.isoformat()} while this hour was collected; nothing written")
    if staged != snapshots:
        raise RuntimeError(f"channel {cid}: {staged} counter row(s) staged, {snapshots} written")
    conn.execute(sql_file(SQL + "clear_quarantine.sql"), {
        "source": QUARANTINE_SOURCE, "channel_id": cid, "hour_text": hour.isoformat()})
    quarantined = quarantine(conn, QUARANTINE_SOURCE, parsed.rejected, run_id)
    marked = 0
    if parsed.missing:
        marked = conn.execute(sql_file(SQL + "mark_unavailable.sql"), {
            "channel_id": cid, "hour": hour, "video_ids": parsed.missing}).rowcount
    log.info("channel %s hour %s: %d increment(s) at %s; %d video(s) no longer returned", cid,
             hour.isoformat(), increments, (hour - timedelta(hours=1)).isoformat(), marked)
    return Written(snapshots, quarantined, {"increments": increments, "marked_unavailable": marked})

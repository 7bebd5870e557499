"""Writing the hour of every channel of a mapped task in one transaction: one COPY of
all their counters, the channels that can no longer be written whole taken out
before the merge, one set-based merge (snapshots and increments), the hour's
quarantine and the videos no longer returned."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta

import psycopg

from ytempire.quarantine import quarantine
from ytempire.warehouse import copy_rows, sql_file
from ytempire.youtube.channels import Channel
from ytempire.youtube.hourly.parse import ParsedHour
from ytempire.youtube.runner import BatchWritten, Written

log = logging.getLogger(__name__)

SQL = "youtube/hourly/"
QUARANTINE_SOURCE = "youtube_video_stats_hourly"


def write_batch(conn: psycopg.Connection, units: list[tuple[Channel, ParsedHour]],
                run_id: str | None) -> BatchWritten:
    hours = {parsed.hour for _, parsed in units}
    if len(hours) != 1:
        raise ValueError(f"one hour per batch write, got {sorted(hours)}")
    (hour,) = hours
    conn.execute(sql_file(SQL + "create_counter_stage.sql"))
    copy_rows(conn, SQL + "copy_counter_stage.sql", (
        (channel.channel_id, r.video_id, r.view_count, r.like_count, r.comment_count)
        for channel, parsed in units for r in parsed.rows))
    refused = {cid: f"{videos} video(s) got a snapshot later than {hour.isoformat()} while "
                    "this hour was collected; the hour can no longer be written whole"
               for cid, videos in conn.execute(sql_file(SQL + "refuse_later_snapshots.sql"),
                                               {"hour": hour})}
    kept = [(channel, parsed) for channel, parsed in units if channel.channel_id not in refused]
    conn.execute(sql_file(SQL + "clear_hour_snapshots.sql"), {"hour": hour})
    merged = {cid: counts for cid, *counts in conn.execute(
        sql_file(SQL + "merge_counters.sql"), {"hour": hour, "run_id": run_id})}
    channel_ids = [channel.channel_id for channel, _ in kept]
    conn.execute(sql_file(SQL + "clear_quarantine.sql"), {
        "source": QUARANTINE_SOURCE, "channel_ids": channel_ids, "hour_text": hour.isoformat()})
    quarantine(conn, QUARANTINE_SOURCE, [r for _, parsed in kept for r in parsed.rejected], run_id)
    missing = [(channel.channel_id, video_id) for channel, parsed in kept
               for video_id in parsed.missing]
    marked = Counter(cid for (cid,) in conn.execute(sql_file(SQL + "mark_unavailable.sql"), {
        "hour": hour, "channel_ids": [c for c, _ in missing], "video_ids": [v for _, v in missing]}))
    written = {}
    for channel, parsed in kept:
        cid = channel.channel_id
        staged, snapshots, increments, _facts, final_day, later = merged.get(cid, (0,) * 6)
        if later or staged != snapshots:
            raise RuntimeError(f"channel {cid}: {staged} counter row(s) staged, {snapshots} "
                               f"written, {later} with a later snapshot since the check")
        if final_day:
            log.warning("channel %s: %d increment(s) at %s fall on a YouTube day already loaded "
                        "(final): not written", cid, final_day,
                        (hour - timedelta(hours=1)).isoformat())
        log.info("channel %s hour %s: %d increment(s) at %s; %d video(s) no longer returned",
                 cid, hour.isoformat(), increments, (hour - timedelta(hours=1)).isoformat(),
                 marked[cid])
        written[cid] = Written(snapshots, len(parsed.rejected),
                               {"increments": increments, "marked_unavailable": marked[cid]})
    return BatchWritten(written, refused)

"""Fact load throughput: the project's load path (the hourly collector's load step,
`hourly.write.write_batch`, for the channels of each mapped task as the DAG plans them:
one COPY into a session stage and one merge per batch, which writes snapshots and fact
increments) against COPY of the same fact rows straight into the
fact table (same indexes and triggers: the practical limit) and against
PostgresHook.insert_rows (what a user writes first); and the floor: the least the data
contract writes for an hour (a snapshot and a fact row per video), by COPY. Rows/s, ratios,
and the Python peak memory (tracemalloc) of the project path at two sizes. The snapshot history the
measured hours find (their previous counters, the history's indexes) is generated
first: the days the retention keeps, or fewer when the data set is shorter."""

from __future__ import annotations

import os
import time
import tracemalloc
from datetime import datetime, timedelta

import psycopg
from dataset import Scale, bench_sql, local_midnight, log, params

from ytempire import settings
from ytempire.youtube.channels import Channel
from ytempire.youtube.hourly import write
from ytempire.youtube.hourly.parse import Counters, ParsedHour

FACT_COLUMNS = ("video_id", "channel_id", "timestamp", "views", "likes", "comments")
INSERT_ROWS_MAX = 2_000  # insert_rows is slow: one hour of at most this many videos


def video_id(v: int) -> str:
    return f"bv{v:07d}"


def channel_id(v: int, scale: Scale) -> str:
    return f"UCbench{v % scale.channels:05d}"


def counters(v: int, n: int) -> tuple[int, int, int]:
    """Lifetime counters of video v at hour n (deterministic, increasing)."""
    return 1000 + v + n * (1 + v % 7), 10 + n * (v % 3), n // 5


def channel_videos(scale: Scale) -> dict[str, list[int]]:
    by_channel: dict[str, list[int]] = {}
    for v in range(scale.videos):
        by_channel.setdefault(channel_id(v, scale), []).append(v)
    return by_channel


def parsed_hour(videos: list[int], hour: datetime, n: int) -> ParsedHour:
    rows = [Counters(video_id(v), *counters(v, n)) for v in videos]
    return ParsedHour(hour, rows, rejected=[], missing=[], received=len(rows))


def project_hour(conn: psycopg.Connection, scale: Scale, hour: datetime, n: int) -> int:
    """One hour of every channel through the collector's batch write, in batches of
    YTEMPIRE_CHANNELS_PER_TASK channels (the DAG's mapped tasks); increments written."""
    by_channel = sorted(channel_videos(scale).items())
    written = 0
    for first in range(0, len(by_channel), settings.CHANNELS_PER_TASK):
        units = [(Channel(cid, settings.YOUTUBE_CONN_ID, True), parsed_hour(videos, hour, n))
                 for cid, videos in by_channel[first:first + settings.CHANNELS_PER_TASK]]
        with conn.transaction():
            done = write.write_batch(conn, units, "bench")
        written += sum(w.counts["increments"] for w in done.written.values())
    return written


def fact_rows(scale: Scale, hour: datetime, videos: int) -> list[tuple]:
    return [(video_id(v), channel_id(v, scale), hour, 3 + v % 11, v % 3, v % 2)
            for v in range(videos)]


SNAPSHOT_COLUMNS = ("video_id", "channel_id", "snapshot_hour", "view_count", "like_count",
                    "comment_count")


def copy_rows(cur: psycopg.Cursor, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    with cur.copy("copy analytics.{} ({}) from stdin".format(table, ", ".join(columns))) as copy:
        for row in rows:
            copy.write_row(row)


def copy_hour(conn: psycopg.Connection, scale: Scale, hour: datetime) -> int:
    rows = fact_rows(scale, hour, scale.videos)
    with conn.transaction(), conn.cursor() as cur:
        copy_rows(cur, "fact_video_performance", FACT_COLUMNS, rows)
    return len(rows)


def floor_hour(conn: psycopg.Connection, scale: Scale, hour: datetime, n: int) -> int:
    """The least the data contract writes for an hour, by the fastest means: every video's
    snapshot at `hour` and its fact row at the hour before, each table by one COPY, in one
    transaction (no stage, no previous counters, no checks). Fact rows written."""
    snapshots = [(video_id(v), channel_id(v, scale), hour, *counters(v, n))
                 for v in range(scale.videos)]
    facts = fact_rows(scale, hour - timedelta(hours=1), scale.videos)
    with conn.transaction(), conn.cursor() as cur:
        copy_rows(cur, "video_stats_snapshot", SNAPSHOT_COLUMNS, snapshots)
        copy_rows(cur, "fact_video_performance", FACT_COLUMNS, facts)
    return len(facts)


def insert_rows_hour(hook, scale: Scale, hour: datetime) -> int:
    rows = fact_rows(scale, hour, min(scale.videos, INSERT_ROWS_MAX))
    hook.insert_rows(
        "analytics.fact_video_performance", rows, target_fields=FACT_COLUMNS, commit_every=1000)
    return len(rows)


def _uri(dsn: str) -> str:
    p = psycopg.conninfo.conninfo_to_dict(dsn)
    return (f"postgresql://{p.get('user', 'postgres')}@{p.get('host', '127.0.0.1')}:"
            f"{p.get('port', 5432)}/{p['dbname']}")


def traced(work) -> tuple[float, int, int]:
    """(seconds, rows, peak Python bytes) of work()."""
    tracemalloc.start()
    started = time.perf_counter()
    rows = work()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, rows, peak


def snapshot_history(conn: psycopg.Connection, scale: Scale, base: datetime, days: int) -> int:
    """The collector's snapshots of every video in the `days` before base; rows."""
    rows = conn.execute(bench_sql("generate_snapshots.sql"), params(scale) | {
        "start": base - timedelta(days=days), "end": base}).rowcount
    conn.execute("vacuum analyze analytics.video_stats_snapshot")
    return rows


def measure(conn: psycopg.Connection, dsn: str, scale: Scale, end, snapshot_days: int) -> dict:
    base = local_midnight(end) + timedelta(days=2)
    n0 = int(base.timestamp() // 3600)
    history = snapshot_history(conn, scale, base, snapshot_days)
    log.info("load: %d snapshot(s) of %d day(s) before the measured hours", history, snapshot_days)
    project_hour(conn, scale, base, n0)  # not measured: the first hour after the history
    sizes = {}
    k = 1
    for hours in (1, 2):
        first = k
        seconds, rows, peak = traced(lambda f=first, h=hours: sum(
            project_hour(conn, scale, base + timedelta(hours=f + i), n0 + f + i)
            for i in range(h)))
        sizes[f"{hours}h"] = {"rows": rows, "seconds": seconds, "rows_per_s": rows / seconds,
                             "peak_python_kb": peak / 2**10}
        k += hours
    seconds, rows, peak = traced(lambda: copy_hour(conn, scale, base + timedelta(hours=100)))
    copy = {"rows": rows, "seconds": seconds, "rows_per_s": rows / seconds,
            "peak_python_kb": peak / 2**10}
    # Last of the hours with snapshots: nothing measured after it reads the history.
    seconds, rows, _ = traced(lambda: floor_hour(conn, scale, base + timedelta(hours=300), n0 + 300))
    floor = {"rows": rows, "seconds": seconds, "rows_per_s": rows / seconds}
    from airflow.providers.postgres.hooks.postgres import PostgresHook

    os.environ["AIRFLOW_CONN_BENCH_WAREHOUSE"] = _uri(dsn)
    hook = PostgresHook(postgres_conn_id="bench_warehouse")
    seconds, rows, peak = traced(lambda: insert_rows_hour(hook, scale, base + timedelta(hours=200)))
    insert_rows = {"rows": rows, "seconds": seconds, "rows_per_s": rows / seconds,
                   "peak_python_kb": peak / 2**10}
    project = sizes["2h"]
    result = {"snapshot_history": history, "project": sizes, "copy": copy,
              "insert_rows": insert_rows, "floor": floor,
              "vs_copy": project["rows_per_s"] / copy["rows_per_s"],
              "vs_insert_rows": project["rows_per_s"] / insert_rows["rows_per_s"],
              "floor_vs_copy": floor["rows_per_s"] / copy["rows_per_s"],
              "vs_floor": project["rows_per_s"] / floor["rows_per_s"]}
    log.info("load: project %.0f rows/s, COPY %.0f rows/s, floor %.0f rows/s, insert_rows %.0f"
             " rows/s", project["rows_per_s"], copy["rows_per_s"], floor["rows_per_s"],
             insert_rows["rows_per_s"])
    return result

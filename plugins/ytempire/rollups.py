"""Bringing the rollups up to date on either database path, and the 3 AM upkeep.

What "only the invalidated buckets" means:

- Plain PostgreSQL: statement-level triggers on the fact table and on
  revenue_attribution log every (channel, hour), (channel, warehouse day) and
  revenue day a statement touched, hand-made corrections and TRUNCATE included.
  `analytics.refresh_<rollup>()` takes its rollup's log entries and recomputes
  exactly those buckets, whatever their age; it returns how many. The refresh
  window is not used on this path, except by mv_historical_performance, which
  recomputes only the days before the window's end (complete warehouse days),
  and with them the same days of mv_video_daily_performance (per video).
- TimescaleDB: the continuous aggregates keep their own invalidation log of time
  ranges (a bucket there is a time bucket across all channels).
  `refresh_continuous_aggregate(cagg, NULL, end)` recomputes the invalidated
  ranges older than `end` and materializes new data up to `end`, each range on
  its own; nothing else is read. Buckets from `end` on are served by real-time
  aggregation until a later refresh. The end is the last complete bucket at the
  run's logical time: the logical hour for the hourly rollups, the start of the
  logical warehouse day for the daily one.
- mv_video_daily_performance (per video and warehouse day, for the spec queries'
  reads) and mv_video_daily_views (per video and day across channels, Query 2's
  candidates) are refreshed with mv_historical_performance on both paths (COMPANIONS).
- `daily_revenue_summary` is a plain table on both paths, kept as on the plain path;
  its refresh also keeps Query 5's answer for the 30 days before the window's end
  (`analytics.roi_by_video_type_kept`), recomputed only when its inputs changed.

A full rebuild is an explicit maintenance action (`rebuild`, the DAGs'
`full_rebuild` param, docs/operations.md): every bucket invalidated, then refreshed.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time

import psycopg
from psycopg import sql

from ytempire import settings
from ytempire.warehouse import fetch_one, flavor, sql_file

log = logging.getLogger(__name__)

HOURLY_ROLLUPS = ("hourly_channel_metrics", "mv_recent_performance")
FACT_ROLLUPS = (*HOURLY_ROLLUPS, "mv_historical_performance")
REVENUE_ROLLUPS = ("daily_revenue_summary",)
DAILY_ROLLUPS = ("mv_historical_performance", *REVENUE_ROLLUPS)
ALL_ROLLUPS = FACT_ROLLUPS + REVENUE_ROLLUPS
# Rollups that hold complete buckets only (the day in progress appears once it is over).
COMPLETE_DAYS_ONLY = ("mv_historical_performance",)
# Refreshed together with a rollup, for the same buckets: on the plain path inside
# its refresh function, on TimescaleDB as a continuous aggregate of its own.
# Given the day of the window's end, also keeps the answers read for that day
# (daily_revenue_summary: Query 5's default window, analytics.roi_by_video_type).
KEEPS_TODAY = ("daily_revenue_summary",)
COMPANIONS = {"mv_historical_performance": ("mv_video_daily_performance",
                                             "mv_video_daily_views")}


def _check(rollup: str) -> None:
    if rollup not in ALL_ROLLUPS:
        raise ValueError(f"unknown rollup {rollup!r}; expected one of {ALL_ROLLUPS}")


def _is_cagg(conn: psycopg.Connection, rollup: str) -> bool:
    return rollup in FACT_ROLLUPS and flavor(conn) == "timescale"


Window = tuple[datetime | None, datetime | None]


def refresh(conn: psycopg.Connection, rollup: str, window: Window = (None, None), *,
            force: bool = False) -> int | None:
    """Refresh one rollup in its own transaction; buckets recomputed (None on TimescaleDB)."""
    _check(rollup)
    conn.autocommit = True
    if _is_cagg(conn, rollup):
        start, end = window
        for cagg in (rollup, *COMPANIONS.get(rollup, ())):
            conn.execute(
                sql_file("refresh/refresh_continuous_aggregate.sql"),
                {"rollup": f"analytics.{cagg}", "window_start": start, "window_end": end,
                 "force": force},
            )
        return None
    function = sql.Identifier("analytics", f"refresh_{rollup}")
    # null: the days before the current warehouse day (the function's default)
    params: tuple[datetime | date | None, ...] = (
        (window[1],) if rollup in COMPLETE_DAYS_ONLY else ())
    if rollup in KEEPS_TODAY and window[1] is not None:
        params = (window[1].astimezone(settings.WAREHOUSE_ZONE).date(),)
    query = sql.SQL("select {}({})").format(function, sql.SQL(", ").join(
        sql.Placeholder() for _ in params))
    with conn.transaction():
        row = conn.execute(query, params).fetchone()
    buckets: int | None = row[0] if row else None
    return buckets


def window_end(rollup: str, logical_time: datetime) -> datetime:
    """The end of the last complete bucket of `rollup` at `logical_time` (an aware datetime)."""
    _check(rollup)
    if logical_time.tzinfo is None:
        raise ValueError("logical_time must be time-zone aware")
    if rollup in HOURLY_ROLLUPS:
        return logical_time.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    local_day = logical_time.astimezone(settings.WAREHOUSE_ZONE).date()
    return datetime.combine(local_day, time(0), settings.WAREHOUSE_ZONE)


def rebuild(conn: psycopg.Connection, rollup: str) -> int | None:
    """Recompute every bucket of `rollup` (maintenance: cost grows with history)."""
    _check(rollup)
    conn.autocommit = True
    if _is_cagg(conn, rollup):
        return refresh(conn, rollup, (None, None), force=True)
    with conn.transaction():
        conn.execute(sql_file("refresh/rebuild_rollup.sql"), {"rollup": rollup})
    return refresh(conn, rollup)


def refresh_for_run(conn: psycopg.Connection, rollup: str, logical_time: datetime,
                    *, full_rebuild: bool = False) -> int | None:
    """What a refresh task does for its run at logical time `logical_time`."""
    if full_rebuild:
        buckets = rebuild(conn, rollup)
    else:
        buckets = refresh(conn, rollup, (None, window_end(rollup, logical_time)))
    log.info("%s %s up to %s: %s bucket(s) recomputed (None: TimescaleDB)", rollup,
             "rebuilt" if full_rebuild else "refreshed", window_end(rollup, logical_time), buckets)
    return buckets


# --- 3 AM upkeep: each call is one transaction and returns what it changed.

def prune_snapshots(conn: psycopg.Connection, logical_time: datetime) -> int:
    """Delete raw snapshots past the retention window before `logical_time`; rows deleted."""
    params = {"logical_date": logical_time, "retention_days": settings.SNAPSHOT_RETENTION_DAYS}
    with conn.transaction():
        pruned = conn.execute(sql_file("refresh/prune_video_stats_snapshot.sql"), params).rowcount
    log.info("%d snapshot row(s) older than %d days pruned", pruned,
             settings.SNAPSHOT_RETENTION_DAYS)
    return pruned


def run_compression_policy(conn: psycopg.Connection) -> int | None:
    """TimescaleDB: do the fact table's compression policy's work now (the chunks older
    than its compress_after, through `analytics.compress_fact_chunks`, which runs as the
    owner: compressing needs the table's owner, the loader is not); the chunks it
    compressed. The background scheduler may not run it (docs/operations.md). None on the
    plain path, which compresses nothing."""
    conn.autocommit = True
    if flavor(conn) != "timescale":
        return None
    compressed = int(fetch_one(conn, "refresh/compress_fact_chunks.sql")[0])
    log.info("compression policy: %d chunk(s) compressed", compressed)
    return compressed


def analyze_changed(conn: psycopg.Connection, min_changes: int = 1,
                    scale_factor: float = 0.05) -> list[tuple[str, int]]:
    """ANALYZE the leaf tables with min_changes + scale_factor * rows modified."""
    params = {"min_changes": min_changes, "scale_factor": scale_factor}
    with conn.transaction():
        cur = conn.execute(sql_file("refresh/analyze_changed_tables.sql"), params)
        analyzed = [(table, changes) for table, changes in cur]
    for table, changes in analyzed:
        log.info("analyzed %s (%d row(s) modified)", table, changes)
    return analyzed

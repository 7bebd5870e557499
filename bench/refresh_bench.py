"""Refresh cost at two history sizes, side by side, on the embedded PostgreSQL.

    .venv/bin/python bench/refresh_bench.py
    .venv/bin/python bench/refresh_bench.py --videos 500 --days 7 60 --cycles 3

For each history size: a fresh database with every migration (plain path),
monthly fact partitions, `days` of hourly fact rows for every video, one revenue
row per video and day, raw snapshots for the retention window plus one day
(what a running warehouse holds before its nightly prune), every rollup
refreshed once (the steady state), VACUUM ANALYZE. Then, after one warm-up
cycle, `--cycles` times: one
new hour of fact rows followed by the hourly DAG's steps, and one new revenue
day followed by the daily DAG's steps. Each step is timed by its own log row
(ytempire.steplog: wall clock across the step), exactly as in the DAGs. The
report gives the median per step at both sizes, the work done (buckets or rows)
and the ratio large / small; the first full refresh is shown for contrast.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))

from ytempire import migrations, partitions, rollups, settings  # noqa: E402
from ytempire.steplog import logged_step  # noqa: E402
from ytempire_dev.local_pg import local_cluster  # noqa: E402

HISTORY_END = date(2026, 6, 1)  # the first warehouse day after the loaded history
CHANNELS = 20

LOAD_FACT = (
    "insert into analytics.fact_video_performance (video_id, channel_id, timestamp, views, "
    "likes, comments, shares, watch_time_minutes, estimated_revenue_cents, cost_cents) "
    "select 'v' || v, 'c' || (v %% %(channels)s), h, (v * 7 + n * 13) %% 500, (v + n) %% 25, "
    "(v * n) %% 7, n %% 3, ((v + n) %% 900) / 100.0, (v + n) %% 40, 1 "
    "from generate_series(0, %(videos)s - 1) as v, generate_series(%(start)s::timestamptz, "
    "%(end)s::timestamptz - interval '1 hour', interval '1 hour') as h, "
    "lateral (select (extract(epoch from h) / 3600)::bigint as n) as t"
)
LOAD_REVENUE = (
    "insert into analytics.revenue_attribution (video_id, channel_id, revenue_date, "
    "ad_revenue_cents, other_revenue_cents, ai_cost_cents, api_cost_cents) "
    "select 'v' || v, 'c' || (v %% %(channels)s), d, (v * 31) %% 900, v %% 50, "
    "(v * 17) %% 300, v %% 9 from generate_series(0, %(videos)s - 1) as v, "
    "generate_series(%(first)s::date, %(last)s::date, interval '1 day') as d"
)
LOAD_SNAPSHOTS = (
    "insert into analytics.video_stats_snapshot (video_id, channel_id, snapshot_hour, "
    "view_count) select 'v' || v, 'c' || (v %% %(channels)s), h, 1000 + v "
    "from generate_series(0, %(videos)s - 1) as v, generate_series(%(start)s::timestamptz, "
    "%(end)s::timestamptz, interval '1 hour') as h"
)

HOURLY_STEPS = tuple(f"refresh_{r}" for r in rollups.HOURLY_ROLLUPS)
DAILY_STEPS = ("ensure_fact_partitions", "prune_video_stats_snapshot",
               *(f"refresh_{r}" for r in rollups.DAILY_ROLLUPS), "analyze_changed_tables")


def local_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=settings.WAREHOUSE_ZONE)


def build(conn: psycopg.Connection, videos: int, days: int) -> dict[str, float]:
    """A warehouse with `days` of history, in steady state; seconds per phase."""
    conn.autocommit = True
    timings = {}
    started = time.perf_counter()
    migrations.deploy(conn)
    first = HISTORY_END - timedelta(days=days)
    partitions.ensure_fact_partitions(conn, local_midnight(first),
                                      local_midnight(HISTORY_END + timedelta(100)))
    params = {"channels": CHANNELS, "videos": videos}
    for chunk_start in range(0, days, 10):
        chunk_end = min(chunk_start + 10, days)
        conn.execute(LOAD_FACT, params | {
            "start": local_midnight(first + timedelta(chunk_start)),
            "end": local_midnight(first + timedelta(chunk_end))})
    conn.execute(LOAD_REVENUE, params | {"first": first, "last": HISTORY_END - timedelta(1)})
    # Steady state at both sizes: the retention window plus the day the next prune drops.
    snapshots_from = HISTORY_END - timedelta(settings.SNAPSHOT_RETENTION_DAYS + 1)
    conn.execute(LOAD_SNAPSHOTS, params | {
        "start": local_midnight(snapshots_from), "end": local_midnight(HISTORY_END)})
    timings["load"] = time.perf_counter() - started

    started = time.perf_counter()
    {r: rollups.refresh(conn, r) for r in rollups.ALL_ROLLUPS}
    timings["first full refresh"] = time.perf_counter() - started
    conn.execute("vacuum analyze")
    return timings


def run_step(conn, name: str, work) -> tuple[int, int | None]:
    with logged_step(conn, f"bench.{name}", transaction=False) as step:
        result = work()
        step.rows = len(result) if isinstance(result, list) else result
    return step.elapsed_ms, step.rows


def cycle(conn, videos: int, k: int) -> dict[str, tuple[int, int | None]]:
    """One new hour and the hourly steps; one new revenue day and the daily steps."""
    new_hour = local_midnight(HISTORY_END) + timedelta(hours=k)
    conn.execute(LOAD_FACT, {"channels": CHANNELS, "videos": videos, "start": new_hour,
                             "end": new_hour + timedelta(hours=1)})
    hourly_as_of = new_hour + timedelta(hours=1, minutes=15)
    results = {
        f"refresh_{r}": run_step(conn, f"refresh_{r}",
                                 lambda r=r: rollups.refresh_for_run(conn, r, hourly_as_of))
        for r in rollups.HOURLY_ROLLUPS
    }
    revenue_day = HISTORY_END + timedelta(days=k)
    conn.execute(LOAD_REVENUE, {"channels": CHANNELS, "videos": videos,
                                "first": revenue_day, "last": revenue_day})
    daily_as_of = local_midnight(revenue_day + timedelta(days=1)) + timedelta(hours=3)
    daily = {
        "ensure_fact_partitions": lambda: partitions.ensure_fact_partitions(
            conn, *partitions.months_around(daily_as_of)),
        "prune_video_stats_snapshot": lambda: rollups.prune_snapshots(conn, daily_as_of),
        **{f"refresh_{r}": (lambda r=r: rollups.refresh_for_run(conn, r, daily_as_of))
           for r in rollups.DAILY_ROLLUPS},
        "analyze_changed_tables": lambda: rollups.analyze_changed(conn),
    }
    # Statistics of this session's writes must reach the collector before ANALYZE looks.
    conn.execute("select pg_stat_force_next_flush()")
    results |= {name: run_step(conn, name, work) for name, work in daily.items()}
    return results


def measure(admin_dsn: str, name: str, videos: int, days: int, cycles: int) -> dict:
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    dsn = psycopg.conninfo.make_conninfo(admin_dsn, dbname=name)
    with psycopg.connect(dsn, autocommit=True) as conn:
        phases = build(conn, videos, days)
        fact_rows = conn.execute(
            "select count(*) from analytics.fact_video_performance").fetchone()[0]
        cycle(conn, videos, 0)  # warm-up, not counted
        runs = [cycle(conn, videos, k) for k in range(1, cycles + 1)]
    steps = {
        step: (statistics.median(run[step][0] for run in runs), runs[-1][step][1])
        for step in HOURLY_STEPS + DAILY_STEPS
    }
    return {"days": days, "fact_rows": fact_rows, "phases": phases, "steps": steps}


def report(small: dict, large: dict, videos: int, cycles: int) -> str:
    def ratio(a, b):
        return f"{b / a:.2f}" if a else "n/a"

    lines = [
        f"History: {small['days']} days ({small['fact_rows']:,} fact rows) vs "
        f"{large['days']} days ({large['fact_rows']:,} fact rows); {videos:,} videos, "
        f"{CHANNELS} channels; median of {cycles} cycles.",
        "",
        f"| step | {small['days']} d: ms | {large['days']} d: ms | ratio | "
        f"work {small['days']} d | work {large['days']} d |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for group, steps in (("hourly", HOURLY_STEPS), ("daily", DAILY_STEPS)):
        total_small = total_large = 0
        for step in steps:
            (ms_s, work_s), (ms_l, work_l) = small["steps"][step], large["steps"][step]
            total_small, total_large = total_small + ms_s, total_large + ms_l
            lines.append(f"| {group}: {step} | {ms_s:.0f} | {ms_l:.0f} | {ratio(ms_s, ms_l)} "
                         f"| {work_s} | {work_l} |")
        lines.append(f"| **{group} total** | **{total_small:.0f}** | **{total_large:.0f}** | "
                     f"**{ratio(total_small, total_large)}** | | |")
    first_s = small["phases"]["first full refresh"] * 1000
    first_l = large["phases"]["first full refresh"] * 1000
    lines.append(f"| (first full refresh, all rollups) | {first_s:.0f} | {first_l:.0f} "
                 f"| {ratio(first_s, first_l)} | | |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--videos", type=int, default=1000)
    parser.add_argument("--days", type=int, nargs=2, default=(30, 180), metavar=("SMALL", "LARGE"))
    parser.add_argument("--cycles", type=int, default=3)
    args = parser.parse_args()
    small_days, large_days = sorted(args.days)
    with local_cluster() as cluster:
        admin = psycopg.conninfo.make_conninfo(cluster.dsn, dbname="postgres")
        results = []
        for days in (small_days, large_days):
            started = time.perf_counter()
            results.append(measure(admin, f"bench_{days}d", args.videos, days, args.cycles))
            print(f"{days} days built and measured in {time.perf_counter() - started:.0f} s",
                  file=sys.stderr, flush=True)
    print(report(*results, args.videos, args.cycles))


if __name__ == "__main__":
    main()

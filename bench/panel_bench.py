"""How long each dashboard panel takes, on the embedded PostgreSQL (docs/benchmarks.md).

    .venv/bin/python bench/panel_bench.py                   # medium: 1,000 videos, 90 days
    .venv/bin/python bench/panel_bench.py --videos 200 --days 30 --runs 5

The warehouse is built as refresh_bench.py builds it (every migration, one fact row per
video and hour, one revenue row per video and day, every rollup refreshed, VACUUM
ANALYZE), with history up to today, plus the channels and videos, two making costs per
video and a day of API costs per channel. Each panel's SQL comes from the committed
dashboard JSON, rendered as Grafana would (ytempire_dev.grafana_sql) for the dashboard's
default range and for the last 7 days, with every channel and with one; it runs as the
reporting role. The report gives the median wall-clock time of `--runs` runs after one
warm-up, against the 100 ms budget per panel.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from psycopg import sql

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "plugins"))
sys.path.insert(0, str(REPO / "bench"))

import refresh_bench  # noqa: E402

from ytempire_dev import grafana_sql  # noqa: E402
from ytempire_dev.dashboards import DASHBOARDS, DASHBOARDS_DIR  # noqa: E402
from ytempire_dev.local_pg import local_cluster  # noqa: E402

BUDGET_MS = 100
LOAD_DIMENSIONS = (
    "insert into analytics.dim_channel (channel_id, channel_name, status) "
    "select 'c' || c, 'Channel ' || c, 'active' from generate_series(0, %(channels)s - 1) as c"
)
LOAD_VIDEOS = (
    "insert into analytics.dim_video (video_id, channel_id, title) "
    "select 'v' || v, 'c' || (v %% %(channels)s), 'Video ' || (v %% 100) "
    "from generate_series(0, %(videos)s - 1) as v"
)
LOAD_COSTS = (
    "insert into analytics.cost_tracking (video_id, channel_id, cost_type, cost_cents, timestamp) "
    "select 'v' || v, 'c' || (v %% %(channels)s), kind, 20 + v %% 7, "
    "%(end)s::timestamptz - (v %% %(days)s) * interval '1 day' - interval '5 hours' "
    "from generate_series(0, %(videos)s - 1) as v, "
    "unnest(array['ai_generation', 'voice_synthesis']) as kind "
    "union all "
    "select null, 'c' || c, 'api_calls', 15, d "
    "from generate_series(0, %(channels)s - 1) as c, "
    "generate_series(%(end)s::timestamptz - %(days)s * interval '1 day', %(end)s::timestamptz, "
    "interval '1 day') as d"
)


def panels() -> list[tuple[str, dict, dict]]:
    out = []
    for name in DASHBOARDS:
        doc = json.loads((DASHBOARDS_DIR / name).read_text())
        for panel in doc["panels"]:
            out.append((doc["title"], doc["time"], panel))
    return out


def time_range(default: dict, now: datetime) -> grafana_sql.TimeRange:
    hours = {"now-7d": 24 * 7, "now-24h": 24}[default["from"]]
    return grafana_sql.TimeRange(now - timedelta(hours=hours), now)


def measure(conn, statement: str, runs: int) -> float:
    conn.execute(statement).fetchall()  # warm-up
    elapsed = []
    for _ in range(runs):
        started = time.perf_counter()
        conn.execute(statement).fetchall()
        elapsed.append((time.perf_counter() - started) * 1000)
    return statistics.median(elapsed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--videos", type=int, default=1000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    refresh_bench.HISTORY_END = now.astimezone(refresh_bench.settings.WAREHOUSE_ZONE).date()
    with local_cluster(flavor="plain", settings={"fsync": "off"}) as cluster:
        admin_dsn = psycopg.conninfo.make_conninfo(cluster.dsn, dbname="postgres")
        name = f"panel_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(admin_dsn, autocommit=True) as admin:
            admin.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
        dsn = psycopg.conninfo.make_conninfo(admin_dsn, dbname=name)
        with psycopg.connect(dsn, autocommit=True) as conn:
            started = time.perf_counter()
            phases = refresh_bench.build(conn, args.videos, args.days)
            conn.execute(LOAD_DIMENSIONS, {"channels": refresh_bench.CHANNELS})
            conn.execute(LOAD_VIDEOS, {"channels": refresh_bench.CHANNELS, "videos": args.videos})
            conn.execute(LOAD_COSTS, {"channels": refresh_bench.CHANNELS, "videos": args.videos,
                                      "days": args.days, "end": now})
            conn.execute("vacuum analyze analytics.cost_tracking, analytics.dim_channel, "
                         "analytics.dim_video")
            fact_rows = conn.execute(
                "select count(*) from analytics.fact_video_performance").fetchone()[0]
            print(f"built in {time.perf_counter() - started:.0f} s ({phases}); "
                  f"{fact_rows:,} fact rows, {args.videos:,} videos, {args.days} days", flush=True)
            channels = [f"c{i}" for i in range(refresh_bench.CHANNELS)]
            conn.execute("set role ytempire_reader")
            print(f"\n| dashboard | panel | range | channels | rows | median ms | within {BUDGET_MS} ms |")
            print("|---|---|---|---|---|---|---|")
            for dashboard, default, panel in panels():
                (target,) = panel["targets"]
                uses_channel = "$" + "{channel" in target["rawSql"]
                ranges = {"default": time_range(default, now),
                          "7 days": grafana_sql.TimeRange(now - timedelta(days=7), now)}
                for range_name, r in ranges.items():
                    for label, selection in (("all", grafana_sql.ALL), ("one", ["c3"])):
                        if label == "one" and not uses_channel:
                            continue
                        statement = grafana_sql.render(
                            target["rawSql"], grafana_sql.relative_range(r, panel.get("timeFrom")),
                            {"channel": selection}, {"channel": channels})
                        rows = len(conn.execute(statement).fetchall())
                        ms = measure(conn, statement, args.runs)
                        print(f"| {dashboard} | {panel['title'].split(' (')[0]} | {range_name} | "
                              f"{label if uses_channel else '-'} | {rows} | {ms:.1f} | "
                              f"{'yes' if ms <= BUDGET_MS else 'NO'} |", flush=True)


if __name__ == "__main__":
    main()

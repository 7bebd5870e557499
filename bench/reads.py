"""Read latency: p50 and p95 over repeated runs of every read, each against the same
answer computed from the raw tables (answers compared).

A read is (name, SQL file, parameters, raw reference SQL file). Every panel of the
committed dashboards is measured too, rendered as Grafana renders it (variables, then
macros: ytempire_dev.grafana_sql) for the dashboard's default range ending at the end
of the bench history, with every channel selected."""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import psycopg
from dataset import log

from ytempire_dev import grafana_sql
from ytempire_dev.dashboards import DASHBOARDS, DASHBOARDS_DIR

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Read:
    name: str
    sql: str  # relative to the repository
    params: tuple[str, ...] = ("as_of",)  # names filled from the bench's parameters
    raw: str | None = None  # reference from the raw tables, relative to the repository


def spec_query(name: str, own_source: bool = False) -> Read:
    """Query 3 reads its own source table (no rollup): it is its own reference. Query 5's
    reference is its aggregation from the source tables, as before its default
    window's answer was kept."""
    query = f"include/sql/queries/{name}.sql"
    return Read(name, query, raw=query if own_source else f"bench/sql/raw/{name}.sql")


READS = (
    spec_query("q1_channel_performance"),
    spec_query("q2_video_performance_trends"),
    spec_query("q3_cost_analysis", own_source=True),
    spec_query("q4_rpm_analysis"),
    spec_query("q5_roi_by_video_type"),
    Read("channel_performance_view", "bench/sql/channel_performance_view.sql", (),
         "bench/sql/raw/channel_performance_view.sql"),
)


def normalized(rows: list[tuple]) -> list[tuple]:
    """Values compared to 6 decimal places (numeric scale may differ, not the value)."""
    def one(v):
        if isinstance(v, Decimal | float):
            return round(Decimal(v), 6)
        return v
    return [tuple(one(v) for v in row) for row in rows]


def run_once(conn: psycopg.Connection, query: str, params: dict) -> tuple[float, list]:
    started = time.perf_counter()
    rows = conn.execute(query, params or None).fetchall()
    return (time.perf_counter() - started) * 1000, rows


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(conn: psycopg.Connection, query: str, params: dict, repeats: int) -> tuple[dict, list]:
    run_once(conn, query, params)  # warm-up
    times, rows = [], None
    for _ in range(repeats):
        ms, rows = run_once(conn, query, params)
        times.append(ms)
    return {"rows": len(rows), "p50_ms": statistics.median(times),
            "p95_ms": percentile(times, 0.95)}, rows


def measure_one(conn: psycopg.Connection, read: Read, bench_params: dict, repeats: int) -> dict:
    params = {p: bench_params[p] for p in read.params}
    result, rows = timed(conn, (REPO / read.sql).read_text(), params, repeats)
    if read.raw:
        raw_query = (REPO / read.raw).read_text()
        raw_times = []
        for _ in range(max(3, repeats // 5)):
            ms, raw_rows = run_once(conn, raw_query, params)
            raw_times.append(ms)
        result |= {"raw_p50_ms": statistics.median(raw_times),
                   "speedup": statistics.median(raw_times) / result["p50_ms"],
                   "same_answer": normalized(rows) == normalized(raw_rows)}
    log.info("read %s: %s", read.name, {k: round(v, 2) if isinstance(v, float) else v
                                        for k, v in result.items()})
    return result


DEFAULT_HOURS = {"now-30d": 24 * 30, "now-7d": 24 * 7, "now-24h": 24}


def panel_statements(conn: psycopg.Connection, as_of: datetime) -> dict[str, str]:
    """Each dashboard panel's SQL as Grafana sends it for the default range and All."""
    channels = [c for (c,) in conn.execute("select channel_id from analytics.dim_channel")]
    out = {}
    for name in DASHBOARDS:
        doc = json.loads((DASHBOARDS_DIR / name).read_text())
        hours = DEFAULT_HOURS[doc["time"]["from"]]
        default = grafana_sql.TimeRange(as_of - timedelta(hours=hours), as_of)
        for panel in doc["panels"]:
            (target,) = panel["targets"]
            out[f"panel: {panel['title'].split(' (')[0]}"] = grafana_sql.render(
                target["rawSql"], grafana_sql.relative_range(default, panel.get("timeFrom")),
                {"channel": grafana_sql.ALL}, {"channel": channels})
    return out


def measure(conn: psycopg.Connection, bench_params: dict, repeats: int) -> dict[str, dict]:
    results = {read.name: measure_one(conn, read, bench_params, repeats) for read in READS}
    for name, statement in panel_statements(conn, bench_params["as_of"]).items():
        results[name], _ = timed(conn, statement, {}, repeats)
        log.info("read %s: %s", name, {k: round(v, 2) if isinstance(v, float) else v
                                       for k, v in results[name].items()})
    return results

"""Read latency: p50 and p95 over repeated runs of every read, each against the same
answer computed from the raw tables (answers compared).

A read is (name, SQL file, parameters, raw reference SQL file). The forecasts' and
experiments' own frequent reads have no raw reference: they read their own tables
(as panels do, only their latency counts). Every panel of the
committed dashboards is measured too, rendered as Grafana renders it (variables, then
macros: ytempire_dev.grafana_sql) for the dashboard's default range ending at the end
of the bench history, with every channel selected."""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import dataset
import psycopg
import report
from dataset import log
from psycopg.rows import dict_row

from ytempire import settings
from ytempire_dev import grafana_sql
from ytempire_dev.dashboards import DASHBOARDS, DASHBOARDS_DIR

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Read:
    name: str
    sql: str  # relative to the repository
    # names filled from the bench's parameters; a dict among them gives several
    params: tuple[str, ...] = ("as_of",)
    raw: str | None = None  # reference from the raw tables, relative to the repository
    target_ms: int = report.TARGET_P95_MS  # p95; another only for a read no person waits for


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
    # The daily forecast run, per batch of channels: their final days and back-test in force.
    Read("forecast final days (a batch)", "include/sql/forecasts/final_days.sql",
         ("channel_ids", "through", "history_days")),
    Read("forecast back-test in force (a batch)", "include/sql/forecasts/backtest_in_force.sql",
         ("channel_ids", "through")),
    # The forecasts runbook's look at one channel; the hourly quality check over all.
    Read("forecast_backtest_summary (a channel)", "bench/sql/forecast_backtest_summary.sql",
         ("channel_id",)),
    Read("check forecast accuracy", "include/sql/checks/forecast_accuracy.sql",
         ("logical_time",), target_ms=1000),
    # The hourly experiments run: the live experiments, then each one's block counts.
    Read("experiments running or paused", "include/sql/experiments/experiments_in_status.sql",
         ("statuses", "default_conn_id")),
    Read("experiment block data (ctr)", "include/sql/experiments/block_data.sql",
         ("ctr_experiment", "grace")),
    Read("experiment block data (views_per_hour)", "include/sql/experiments/block_data.sql",
         ("views_per_hour_experiment", "grace")),
)


def bench_params(conn: psycopg.Connection, end: date) -> dict:
    """The reads' parameters at the end of the bench history: as the day's runs pass them
    (the first forecast batch, trained through the newest reported day; the first running
    experiment of each metric)."""
    channels = [c for (c,) in conn.execute(dataset.bench_sql("forecast_batch.sql"),
                                           {"batch": settings.FORECAST_CHANNELS_PER_TASK})]
    experiments = {f"{row['metric']}_experiment": row for row in conn.cursor(
        row_factory=dict_row).execute(dataset.bench_sql("running_experiments.sql"))}
    as_of = dataset.local_midnight(end)
    return {"as_of": as_of, "logical_time": as_of, "channel_ids": channels,
            "channel_id": channels[0], "through": dataset.reported_through(end),
            "history_days": settings.FORECAST_HISTORY_DAYS, "statuses": ["running", "paused"],
            "default_conn_id": settings.YOUTUBE_CONN_ID,
            "grace": settings.EXPERIMENT_SWITCH_GRACE} | experiments


def normalized(rows: list[tuple]) -> list[tuple]:
    """Values compared to 6 decimal places (numeric scale may differ, not the value)."""
    def one(v):
        if isinstance(v, Decimal | float):
            return round(Decimal(v), 6)
        return v
    return [tuple(one(v) for v in row) for row in rows]


def run_once(conn: psycopg.Connection, query: str, params: dict) -> tuple[float, list]:
    """Never prepared, as the product runs a read (Grafana sends literal SQL, a task runs it
    once on its connection): psycopg prepares a statement run 5 times, and the server may
    then plan it once for any parameters (for the back-test in force at 1,000 channels,
    20 s instead of 1 s)."""
    started = time.perf_counter()
    rows = conn.execute(query, params or None, prepare=False).fetchall()
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


def read_params(read: Read, bench_params: dict) -> dict:
    params: dict = {}
    for name in read.params:
        value = bench_params[name]
        params |= value if isinstance(value, dict) else {name: value}
    return params


def measure_one(conn: psycopg.Connection, read: Read, bench_params: dict,
                scale: dataset.Scale) -> dict:
    params = read_params(read, bench_params)
    result, rows = timed(conn, (REPO / read.sql).read_text(), params, scale.repeats)
    result["target_p95_ms"] = read.target_ms
    if read.raw:
        raw_query = (REPO / read.raw).read_text()
        raw_times = []
        for _ in range(scale.raw_repeats):
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


def measure(conn: psycopg.Connection, bench_params: dict, scale: dataset.Scale) -> dict[str, dict]:
    repeats = scale.repeats
    results = {read.name: measure_one(conn, read, bench_params, scale) for read in READS}
    for name, statement in panel_statements(conn, bench_params["as_of"]).items():
        results[name], _ = timed(conn, statement, {}, repeats)
        log.info("read %s: %s", name, {k: round(v, 2) if isinstance(v, float) else v
                                       for k, v in results[name].items()})
    return results

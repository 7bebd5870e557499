"""The bench data set: scales and a deterministic generator (set-based SQL on the
server, for set-up only; the load module measures the project's own load path).

History ends at the start of the current warehouse day, so that
`channel_performance_view` (the 7 complete days before today) sees it."""

from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import psycopg

from ytempire import partitions, settings

log = logging.getLogger("bench")
SQL = Path(__file__).resolve().parent / "sql"
DAYS_PER_STATEMENT = 5
REPORTED_LAG_DAYS = 2  # YouTube reports a channel's day (and its reach) about two days later
FORECAST_RUNS = 7  # the daily forecast runs whose rows the bench holds
OLDER_BACKTESTS = 4  # earlier weekly back-tests whose own origins are still held
EXPERIMENT_FILES = ("generate_experiments.sql", "generate_experiment_variants.sql",
                    "generate_experiment_blocks.sql", "generate_experiment_outcomes.sql",
                    "generate_experiment_results.sql", "generate_experiment_reasons.sql",
                    "generate_experiment_exposures.sql")


@dataclass(frozen=True)
class Scale:
    name: str
    channels: int
    videos: int
    days: int
    repeats: int  # read repetitions for p50/p95
    cycles: int  # refresh cycles per history size
    raw_repeats: int  # runs of each raw reference (at large, minutes each)


SCALES = {
    "small": Scale("small", 10, 500, 14, 7, 2, 3),
    "medium": Scale("medium", 200, 10_000, 60, 20, 3, 4),
    "large": Scale("large", 1_000, 50_000, 90, 20, 3, 1),
}


def bench_sql(name: str) -> str:
    return (SQL / name).read_text()


def local_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=settings.WAREHOUSE_ZONE)


def history_end() -> date:
    """The first warehouse day after the history: today (warehouse time)."""
    return datetime.now(settings.WAREHOUSE_ZONE).date()


def params(scale: Scale) -> dict:
    return {"channels": scale.channels, "videos": scale.videos}


def create_dimensions(conn: psycopg.Connection, scale: Scale) -> None:
    conn.execute(bench_sql("generate_channels.sql"), params(scale))
    conn.execute(bench_sql("generate_videos.sql"), params(scale))


def ensure_partitions(conn: psycopg.Connection, first: date, last: date) -> None:
    partitions.ensure_fact_partitions(conn, local_midnight(first) - timedelta(days=35),
                                      local_midnight(last) + timedelta(days=70))


def windows(start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    bounds, cursor = [], start
    while cursor < end:
        stop = min(cursor + timedelta(days=DAYS_PER_STATEMENT), end)
        bounds.append((cursor, stop))
        cursor = stop
    return bounds


def load_facts(conn: psycopg.Connection, scale: Scale, start: datetime, end: datetime) -> int:
    """Hourly fact rows for every video in [start, end), a few days per statement, the
    statements on one connection per core (set-up only: at large, 108 M rows)."""
    dsn = conn.info.dsn

    def one(window: tuple[datetime, datetime]) -> int:
        with psycopg.connect(dsn, autocommit=True) as worker:
            return worker.execute(bench_sql("generate_facts.sql"), params(scale) | {
                "start": window[0], "end": window[1]}).rowcount

    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        return sum(pool.map(one, windows(start, end)))


def load_days(conn: psycopg.Connection, scale: Scale, first: date, last: date) -> int:
    """Facts, revenue and costs for the warehouse days [first, last]."""
    log.info("generating %s .. %s (%d videos)", first, last, scale.videos)
    rows = load_facts(conn, scale, local_midnight(first), local_midnight(last + timedelta(1)))
    day_params = params(scale) | {"first": first, "last": last}
    rows += conn.execute(bench_sql("generate_revenue.sql"), day_params).rowcount
    conn.execute(bench_sql("generate_costs.sql"), {
        "channels": scale.channels, "first": local_midnight(first), "last": local_midnight(last)})
    return rows


def reported_through(end: date) -> date:
    """The newest day YouTube has reported at the reads' day."""
    return end - timedelta(REPORTED_LAG_DAYS)


def create_forecasts_and_experiments(conn: psycopg.Connection, scale: Scale, end: date) -> None:
    """What the product holds besides the facts at the reads' day: YouTube's channel days
    and reach reports (what forecasts and experiments read), the forecasts and back-tests,
    the experiments. After the rollups' refresh: the channel days' views come from it."""
    reported = reported_through(end)
    days = params(scale) | {"first": end - timedelta(scale.days), "last": reported}
    for name in ("generate_channel_daily.sql", "generate_reach.sql", "generate_reach_reports.sql"):
        conn.execute(bench_sql(name), days)
    conn.execute(bench_sql("generate_forecasts.sql"), {"through": reported, "runs": FORECAST_RUNS})
    conn.execute(bench_sql("generate_backtests.sql"),
                 {"through": reported, "older": OLDER_BACKTESTS})
    moment = params(scale) | {"end": end, "as_of": local_midnight(end)}
    for name in EXPERIMENT_FILES:
        conn.execute(bench_sql(name), moment)

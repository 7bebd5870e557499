"""Refresh cost at 1x and 2x history (folds in the former bench/refresh_bench.py).

Each cycle adds one new hour of fact rows for every video and runs the hourly
refresh of each hourly rollup, then one new revenue day and the daily refresh of
each daily rollup: the same change on both paths (plain: incremental rollup
tables from the invalidation log; TimescaleDB: continuous aggregates). The first
cycle is a warm-up. Steps are timed by wall clock around `rollups.refresh_for_run`,
the call the DAG tasks make."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

import psycopg
from dataset import Scale, bench_sql, local_midnight, log, params

from ytempire import rollups


def timed(work) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    return (time.perf_counter() - started) * 1000, result


def cycle(conn: psycopg.Connection, scale: Scale, day, k: int) -> dict[str, float]:
    """Cycle k of a phase whose new hours fall on warehouse day `day` (from its start),
    so that the daily refresh recomputes a day of k + 1 hours in every phase."""
    new_hour = local_midnight(day) + timedelta(hours=k)
    conn.execute(bench_sql("generate_facts.sql"),
                 params(scale) | {"start": new_hour, "end": new_hour + timedelta(hours=1)})
    hourly_as_of = new_hour + timedelta(hours=1, minutes=15)
    steps = {f"hourly {r}": timed(lambda r=r: rollups.refresh_for_run(conn, r, hourly_as_of))[0]
             for r in rollups.HOURLY_ROLLUPS}
    revenue_day = day + timedelta(days=k)
    conn.execute(bench_sql("generate_revenue.sql"),
                 params(scale) | {"first": revenue_day, "last": revenue_day})
    daily_as_of = local_midnight(day + timedelta(days=1)) + timedelta(hours=3)
    steps |= {f"daily {r}": timed(lambda r=r: rollups.refresh_for_run(conn, r, daily_as_of))[0]
              for r in rollups.DAILY_ROLLUPS}
    return steps


def measure(conn: psycopg.Connection, scale: Scale, day) -> dict[str, float]:
    """Median ms per refresh step over scale.cycles cycles (after one warm-up), with the
    new hours on warehouse day `day` (a day of its own per history size)."""
    cycle(conn, scale, day, 0)
    runs = [cycle(conn, scale, day, k) for k in range(1, scale.cycles + 1)]
    medians = {step: statistics.median(run[step] for run in runs) for step in runs[0]}
    medians["hourly total"] = sum(v for k, v in medians.items() if k.startswith("hourly "))
    medians["daily total"] = sum(v for k, v in medians.items() if k.startswith("daily "))
    log.info("refresh medians (ms): %s", {k: round(v, 1) for k, v in medians.items()})
    return medians


def refresh_everything(conn: psycopg.Connection, end) -> float:
    """Every rollup brought up to date (the steady state); seconds."""
    as_of = local_midnight(end)
    started = time.perf_counter()
    for rollup in rollups.ALL_ROLLUPS:
        rollups.refresh_for_run(conn, rollup, as_of)
    return time.perf_counter() - started

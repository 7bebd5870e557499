"""Forecasts at scale: `scale.channels` channels x 2 metrics with HISTORY_DAYS final days
each (a weekly rhythm, a trend, noise and now and then a viral day), forecast the way
`analytics_forecasts` does it: batches of YTEMPIRE_FORECAST_CHANNELS_PER_TASK channels,
YTEMPIRE_FORECAST_PARALLEL_TASKS at once (worker processes standing in for mapped tasks).

Two runs: the weekly one back-tests and forecasts the first channels_per_task x
parallel_tasks channels (all are due; one batch per worker, so every worker is busy), its
cost per channel extrapolated to every channel (series are back-tested one by one, so
the cost is linear); their back-test rows are then copied to the other channels
(channel k gets those of channel k mod that number: a realistic mix of chosen models), and
the daily run forecasts every channel from the back-test in force: the figure that must
stay within 5 minutes. Each: wall-clock seconds, and the peak resident memory of a
worker, which the batch size bounds, whatever the number of channels."""

from __future__ import annotations

import resource
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import psycopg
from dataset import log
from psycopg import sql

from ytempire import schema_deploy, settings
from ytempire.youtube.channels import batches

HERE = Path(__file__).resolve().parent
HISTORY_DAYS = 180
THROUGH = date(2026, 11, 30)
WEEKLY = np.array([1.10, 1.12, 1.10, 1.06, 0.98, 0.80, 0.84])


def _channel_days(channel: int) -> list[tuple]:
    rng = np.random.default_rng(channel)
    first = THROUGH - timedelta(days=HISTORY_DAYS - 1)
    level = rng.lognormal(8, 1)
    rhythm = 1 + rng.uniform(0.3, 1.3) * (np.roll(WEEKLY, rng.integers(7)) - 1)
    growth = rng.normal(0, 0.003)
    rows = []
    for i in range(HISTORY_DAYS):
        day = first + timedelta(days=i)
        mean = level * rhythm[day.weekday()] * np.exp(growth * i)
        if rng.random() < 0.01:
            mean *= rng.uniform(5, 20)
        views = int(mean * rng.gamma(60, 1 / 60))
        rows.append((f"UCbench{channel:06d}", day, views, round(views * 0.004, 3)))
    return rows


def create(dsn: str, channels: int) -> list[str]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        schema_deploy.deploy(conn)
        ids = [f"UCbench{c:06d}" for c in range(channels)]
        with conn.cursor().copy("copy analytics.dim_channel (channel_id, channel_name, "
                                "monetization_enabled) from stdin") as copy:
            for channel_id in ids:
                copy.write_row((channel_id, channel_id, True))
        with conn.cursor().copy("copy analytics.yt_channel_daily (channel_id, day, views, "
                                "estimated_revenue) from stdin") as copy:
            for channel in range(channels):
                for row in _channel_days(channel):
                    copy.write_row(row)
        conn.execute("vacuum analyze")
    return ids


def _forecast_batch(dsn: str, channel_ids: list[str], run_id: str) -> tuple[int, int, int]:
    from ytempire.forecasts.run import forecast_channels

    with psycopg.connect(dsn) as conn:
        outcomes = forecast_channels(conn, channel_ids, THROUGH, run_id)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return (sum(o.status == "forecast" for o in outcomes), sum(o.backtested for o in outcomes),
            peak_kib)


def _run(dsn: str, ids: list[str], run_id: str) -> dict:
    started = time.perf_counter()
    done = backtested = peak = 0
    with ProcessPoolExecutor(settings.FORECAST_PARALLEL_TASKS) as pool:
        futures = [pool.submit(_forecast_batch, dsn, batch, run_id)
                   for batch in batches(ids, settings.FORECAST_CHANNELS_PER_TASK)]
        for future in futures:
            n, b, kib = future.result()
            done, backtested, peak = done + n, backtested + b, max(peak, kib)
    seconds = time.perf_counter() - started
    log.info("forecasts %s: %d channel(s) forecast, %d back-tested in %.0f s "
             "(worker peak %.0f MiB)", run_id, done, backtested, seconds, peak / 1024)
    return {"seconds": seconds, "channels_forecast": done, "channels_backtested": backtested,
            "worker_peak_mib": round(peak / 1024)}


def measure(admin_dsn: str, channels: int) -> dict:
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("create database {}").format(sql.Identifier("bench_forecasts")))
    dsn = psycopg.conninfo.make_conninfo(admin_dsn, dbname="bench_forecasts")
    started = time.perf_counter()
    ids = create(dsn, channels)
    log.info("forecasts: %d channels x %d final days in %.0f s", channels, HISTORY_DAYS,
             time.perf_counter() - started)
    result = {"channels": channels, "series": 2 * channels, "history_days": HISTORY_DAYS,
              "channels_per_task": settings.FORECAST_CHANNELS_PER_TASK,
              "parallel_tasks": settings.FORECAST_PARALLEL_TASKS}
    tested = ids[:settings.FORECAST_CHANNELS_PER_TASK * settings.FORECAST_PARALLEL_TASKS]
    weekly = _run(dsn, tested, "bench_weekly")
    weekly["extrapolated_seconds_all_channels"] = weekly["seconds"] * len(ids) / len(tested)
    result["weekly_backtest_and_forecast"] = weekly
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute((HERE / "sql" / "copy_forecast_backtest.sql").read_text(),
                     {"tested": len(tested)})
    result["daily_forecast"] = _run(dsn, ids, "bench_daily")
    with psycopg.connect(dsn) as conn:
        result["forecast_rows"] = conn.execute(
            "select count(*) from analytics.forecast_daily").fetchone()[0]
        result["backtest_rows"] = conn.execute(
            "select count(*) from analytics.forecast_backtest").fetchone()[0]
    return result

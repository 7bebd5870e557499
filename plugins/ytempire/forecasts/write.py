"""Forecast and back-test rows into the warehouse, and the back-tests in force."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

import pandas as pd
import psycopg

from ytempire.forecasts.series import split_id
from ytempire.warehouse import sql_file

_STAGED = ("channel_id", "metric", "model", "origin_date", "target_date", "horizon_days",
           "actual", "point", "lo_80", "hi_80", "lo_95", "hi_95", "backtest_through")


class InForce(NamedTuple):
    """A series' back-test in force: the model it chose, its last day, and the chosen
    model's conformal 95 % half-width (None: too few held-out days)."""

    model: str
    backtest_through: date
    conformal_95: float | None


def backtests_in_force(conn: psycopg.Connection, channel_ids: list[str],
                       through: date) -> dict[tuple[str, str], InForce]:
    """(channel_id, metric) -> the back-test in force."""
    rows = conn.execute(sql_file("forecasts/backtest_in_force.sql"),
                        {"channel_ids": channel_ids, "through": through}).fetchall()
    return {(channel_id, metric): InForce(model, until, None if q is None else float(q))
            for channel_id, metric, model, until, q in rows}


def _stage(conn: psycopg.Connection, rows: pd.DataFrame) -> None:
    conn.execute(sql_file("forecasts/stage_rows.sql"))
    ids = rows["unique_id"].map(split_id)
    frame = rows.assign(channel_id=ids.str[0], metric=ids.str[1])
    for column in ("origin_date", "target_date", "backtest_through"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column]).dt.date
    records = frame.reindex(columns=list(_STAGED)).astype(object)
    records = records.where(records.notna(), None)
    with conn.cursor().copy(sql_file("forecasts/copy_rows.sql")) as copy:
        for record in records.itertuples(index=False, name=None):
            copy.write_row(record)


def write_backtest(conn: psycopg.Connection, rows: pd.DataFrame, run_id: str | None) -> int:
    """Upsert back-test rows (with their `backtest_through`); returns rows changed."""
    _stage(conn, rows)
    return conn.execute(sql_file("forecasts/write_backtest.sql"), {"run_id": run_id}).rowcount


def write_forecasts(conn: psycopg.Connection, rows: pd.DataFrame, run_id: str | None) -> int:
    """Upsert forecast rows (`origin_date` is the trained_through); returns rows changed."""
    _stage(conn, rows)
    return conn.execute(sql_file("forecasts/write_forecasts.sql"), {"run_id": run_id}).rowcount

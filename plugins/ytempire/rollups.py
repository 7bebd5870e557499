"""Bringing the rollups up to date on either database path.

Plain PostgreSQL: each rollup recomputes exactly the buckets its invalidation
log names (analytics.refresh_<rollup>()). TimescaleDB: the continuous
aggregates refresh their invalidated buckets themselves, through
refresh_continuous_aggregate, which cannot run inside a transaction block.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

from ytempire.warehouse import flavor

FACT_ROLLUPS = ("hourly_channel_metrics", "mv_recent_performance", "mv_historical_performance")
REVENUE_ROLLUPS = ("daily_revenue_summary",)


def refresh(conn: psycopg.Connection, rollup: str, window=(None, None)) -> int | None:
    """Refresh one rollup in its own transaction; buckets recomputed (None on TimescaleDB)."""
    if rollup not in FACT_ROLLUPS + REVENUE_ROLLUPS:
        raise ValueError(f"unknown rollup {rollup!r}")
    conn.autocommit = True
    if rollup in FACT_ROLLUPS and flavor(conn) == "timescale":
        conn.execute(
            "call public.refresh_continuous_aggregate(%s::regclass, %s::timestamptz, %s::timestamptz)",
            (f"analytics.{rollup}", *window),
        )
        return None
    with conn.transaction():
        function = sql.Identifier("analytics", f"refresh_{rollup}")
        row = conn.execute(sql.SQL("select {}()").format(function)).fetchone()
    return row[0]


def refresh_all(conn: psycopg.Connection) -> dict[str, int | None]:
    return {rollup: refresh(conn, rollup) for rollup in FACT_ROLLUPS + REVENUE_ROLLUPS}

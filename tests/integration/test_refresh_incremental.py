"""Refresh cost grows with new data, not with history.

One hour of new data (and one new revenue day) is added to a warehouse holding
one day of history, and again once it holds thirty days. Each refresh does the
same work both times: the same buckets recomputed (the plain path's refresh
functions return them) and the same rollup rows rewritten (rows whose xmin is
newer than the refresh's start, in the rollup table or, on TimescaleDB, in the
continuous aggregate's materialization hypertable).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from psycopg import sql
from test_refresh_recompute import (
    UTC,
    ZONE,
    assert_rollups_match,
    fact_row,
    insert_fact,
    revenue_row,
    stored_rows_table,
    upsert_revenue,
)

from ytempire import rollups

CHANNELS, VIDEOS_PER_CHANNEL = 3, 4
VIDEOS = [(f"c{c}-v{v}", f"c{c}") for c in range(CHANNELS) for v in range(VIDEOS_PER_CHANNEL)]
DAY_ONE = date(2026, 4, 1)


def _local(day: date, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)


def _hour_of_data(ts: datetime) -> list[dict]:
    return [fact_row(v, c, ts, views=100 + i, likes=i, comments=1, estimated_revenue_cents=i,
                     cost_cents=2) for i, (v, c) in enumerate(VIDEOS)]


def _load_days(conn, first: date, last: date) -> None:
    """Every hour of the warehouse days first..last, and their revenue."""
    # In UTC: aware arithmetic in a DST zone adds wall-clock hours.
    start, end = _local(first).astimezone(UTC), _local(last + timedelta(days=1)).astimezone(UTC)
    hours = int((end - start).total_seconds() // 3600)
    rows = [row for h in range(hours) for row in _hour_of_data(start + timedelta(hours=h))]
    insert_fact(conn, rows)
    upsert_revenue(conn, [revenue_row(v, c, first + timedelta(days=d), ad=500, ai_cost=100)
                          for d in range((last - first).days + 1) for v, c in VIDEOS])


def _refresh(conn, hourly_as_of: datetime, daily_as_of: datetime) -> dict[str, tuple]:
    """Each rollup refreshed as its DAG would; (buckets returned, rows rewritten)."""
    work = {}
    for rollup in rollups.ALL_ROLLUPS:
        as_of = hourly_as_of if rollup in rollups.HOURLY_ROLLUPS else daily_as_of
        before = conn.execute("select txid_current()").fetchone()[0]
        returned = rollups.refresh_for_run(conn, rollup, as_of)
        rewritten = conn.execute(
            sql.SQL("select count(*) from {} where xmin::text::bigint > %s").format(
                stored_rows_table(conn, rollup)), (before,),
        ).fetchone()[0]
        work[rollup] = (returned, rewritten)
    return work


def _add_one_hour_and_refresh(conn, hour: datetime, revenue_day: date, daily_as_of) -> dict:
    insert_fact(conn, _hour_of_data(hour))
    upsert_revenue(conn, [revenue_row(v, c, revenue_day, ad=300) for v, c in VIDEOS])
    return _refresh(conn, hour + timedelta(hours=1, minutes=15), daily_as_of)


def test_refresh_work_is_the_same_with_one_day_and_thirty_days_of_history(warehouse):
    conn = warehouse
    day_before = DAY_ONE - timedelta(days=1)
    _load_days(conn, day_before, day_before)
    _refresh(conn, _local(DAY_ONE, 0, 15), _local(DAY_ONE, 3))

    with_one_day = _add_one_hour_and_refresh(
        conn, _local(DAY_ONE, 0), DAY_ONE, _local(DAY_ONE + timedelta(days=1), 3))

    _load_days(conn, day_before - timedelta(days=29), day_before - timedelta(days=1))
    _refresh(conn, _local(DAY_ONE, 1, 15), _local(DAY_ONE + timedelta(days=1), 3))
    history_days = conn.execute(
        "select count(distinct revenue_date) from analytics.revenue_attribution "
        "where revenue_date < %s", (DAY_ONE,)).fetchone()[0]
    assert history_days == 30

    with_thirty_days = _add_one_hour_and_refresh(
        conn, _local(DAY_ONE, 1), DAY_ONE + timedelta(days=1),
        _local(DAY_ONE + timedelta(days=2), 3))

    assert with_thirty_days == with_one_day
    plain = rollups.flavor(conn) == "plain"
    # One hour of data: one hour bucket (and one day bucket) per channel.
    assert {rollup: rewritten for rollup, (_, rewritten) in with_one_day.items()} == {
        "hourly_channel_metrics": CHANNELS,
        "mv_recent_performance": len(VIDEOS),
        "mv_historical_performance": CHANNELS,
        "daily_revenue_summary": 1,
    }
    if plain:
        assert {rollup: returned for rollup, (returned, _) in with_one_day.items()} == {
            "hourly_channel_metrics": CHANNELS,
            "mv_recent_performance": CHANNELS,
            "mv_historical_performance": CHANNELS,
            "daily_revenue_summary": 1,
        }
    assert_rollups_match(conn)

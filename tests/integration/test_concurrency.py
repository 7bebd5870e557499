"""Writers and refreshes at the same time, on both database paths: loads while the
rollups refresh, and two mapped revenue load tasks writing the same month. (Two
deploys at once: test_migrations.py.)"""

from __future__ import annotations

import random
import threading
from datetime import date, datetime, timedelta

import psycopg
from revenue_expect import assert_invariant_4, day_hours
from test_refresh_recompute import (
    UTC,
    ZONE,
    assert_rollups_match,
    fact_row,
    insert_fact,
    refresh_everything,
    revenue_row,
    upsert_revenue,
)
from test_youtube_revenue_spread import CH, OTHER, figures, given_channels, hourly, load

from rows import refresh_all

H0 = datetime(2026, 3, 7, 0, tzinfo=UTC)
AS_OF = datetime(2026, 3, 20, 3, tzinfo=ZONE)


def _run_together(*targets) -> list[BaseException]:
    """Start every target at once (a barrier), wait for all; the exceptions they raised."""
    barrier, errors = threading.Barrier(len(targets)), []

    def wrapped(target):
        try:
            barrier.wait()
            target()
        except BaseException as error:  # collected for the assertion
            errors.append(error)

    threads = [threading.Thread(target=wrapped, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_loads_while_refreshes_run_leave_every_rollup_exact(warehouse_dsn):
    loaded, refreshes = threading.Event(), []

    def loader(channel: str):
        rng = random.Random(channel)
        with psycopg.connect(warehouse_dsn, autocommit=True) as conn:
            for hour in range(36):
                ts = H0 + timedelta(hours=hour)
                rows = [fact_row(f"{channel}-v{v}", channel, ts, views=rng.randint(0, 500),
                                 likes=rng.randint(0, 9), estimated_revenue_cents=rng.randint(0, 99),
                                 cost_cents=rng.randint(0, 9)) for v in range(3)]
                with conn.transaction():  # a re-load replaces the hour
                    conn.execute("delete from analytics.fact_video_performance "
                                 "where channel_id = %s and timestamp = %s", (channel, ts))
                    insert_fact(conn, rows)
                if hour % 6 == 5:
                    upsert_revenue(conn, [revenue_row(f"{channel}-v0", channel, ts.date(),
                                                      ad=rng.randint(0, 900), ai_cost=25)])

    def loaders():
        errors = _run_together(lambda: loader("c1"), lambda: loader("c2"))
        loaded.set()
        if errors:
            raise errors[0]

    def refresher():
        with psycopg.connect(warehouse_dsn, autocommit=True) as conn:
            while not loaded.is_set():
                refreshes.append(refresh_everything(conn, AS_OF))

    assert _run_together(loaders, refresher) == []
    assert len(refreshes) >= 1
    with psycopg.connect(warehouse_dsn, autocommit=True) as conn:
        refresh_everything(conn, AS_OF)
        assert_rollups_match(conn)
        assert conn.execute("select count(*) from analytics.fact_video_performance"
                            ).fetchone() == (2 * 36 * 3,)


def test_two_mapped_load_tasks_writing_the_same_month_both_land(warehouse_dsn):
    """Two channel batches of the revenue DAG load days of one month at the same time
    (on the plain path into a month without its partition yet)."""
    first = date(2025, 5, 10)  # complete days: the historical rollup holds no day to come
    days = [first + timedelta(days=i) for i in range(4)]
    with psycopg.connect(warehouse_dsn, autocommit=True) as conn:
        given_channels(conn)
        for day in days:
            hours = day_hours(day)
            hourly(conn, "vidA", [(hours[1], 3), (hours[5], 1)])
            hourly(conn, "vidO", [(hours[2], 2)], channel_id=OTHER)

    def task(channel_id: str, video_id: str):
        with psycopg.connect(warehouse_dsn, autocommit=True) as conn:
            for day in days:
                load(conn, day, {video_id: figures(dislikes=day.day)}, channel_id=channel_id)

    assert _run_together(lambda: task(CH, "vidA"), lambda: task(OTHER, "vidO")) == []
    with psycopg.connect(warehouse_dsn, autocommit=True) as conn:
        assert assert_invariant_4(conn) == 2 * len(days)
        loaded = conn.execute("select channel_id, count(*) from analytics.yt_video_daily "
                              "group by 1 order by 1").fetchall()
        assert loaded == sorted([(CH, len(days)), (OTHER, len(days))])
        refresh_all(conn)
        assert_rollups_match(conn)

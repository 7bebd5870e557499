"""After any sequence of loads, late rows, re-loads and hand-made corrections, every
refresh leaves every rollup equal to a from-scratch recomputation (the Python oracle
in test_refresh_recompute), on both database paths."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import psycopg
import pytest
from psycopg import sql
from test_refresh_recompute import (
    UTC,
    ZONE,
    actual_rollups,
    assert_rollups_match,
    expected_rollups,
    fact_row,
    insert_fact,
    refresh_everything,
    revenue_row,
    source_rows,
    stored_rows_table,
    upsert_revenue,
)

from ytempire import partitions, rollups

H0 = datetime(2026, 3, 7, 0, tzinfo=UTC)  # 72 hours from here span the 23-hour 2026-03-08
# The 25-hour warehouse day 2026-11-01: its first and last hours (UTC).
FALL_BACK_HOURS = (datetime(2026, 11, 1, 7, tzinfo=UTC), datetime(2026, 11, 2, 7, tzinfo=UTC))
AS_OF = datetime(2026, 11, 10, 3, tzinfo=ZONE)  # after all the data: every bucket complete
CHANNELS = ("c1", "c2", "c3")


def _hour(i: int) -> datetime:
    return H0 + timedelta(hours=i)


def _random_fact(rng, video_id, channel_id, ts) -> dict:
    return fact_row(
        video_id, channel_id, ts,
        views=rng.choice([0, rng.randint(-5, 5), rng.randint(0, 500)]),
        likes=rng.randint(0, 30), comments=rng.randint(0, 9), shares=rng.randint(0, 4),
        dislikes=rng.randint(0, 3), watch_time_minutes=f"{rng.randint(0, 9999) / 100:.2f}",
        estimated_revenue_cents=rng.randint(0, 400), cost_cents=rng.randint(0, 60),
        daily_row=rng.random() < 0.2,
    )


def _hours_of_data(rng, hours, videos_per_channel=3, skip=0.1) -> list[dict]:
    return [
        _random_fact(rng, f"{c}-v{j}", c, _hour(i))
        for i in hours for c in CHANNELS for j in range(videos_per_channel)
        if rng.random() >= skip
    ]


def _refresh_and_check(conn, as_of=AS_OF) -> dict:
    touched = refresh_everything(conn, as_of)
    assert_rollups_match(conn)
    return touched


def test_scripted_loads_late_rows_reloads_and_hand_corrections(warehouse):
    conn, rng = warehouse, random.Random(4)
    insert_fact(conn, _hours_of_data(rng, range(24)))
    _refresh_and_check(conn)

    # Partition upkeep moves the rows out of the DEFAULT partition (plain path).
    partitions.ensure_fact_partitions(
        conn, *partitions.months_around(datetime(2026, 3, 9, 3, tzinfo=ZONE)))
    _refresh_and_check(conn)

    # The next hours, a late row in an earlier month and one inside the loaded range.
    insert_fact(conn, _hours_of_data(rng, range(24, 72)))
    insert_fact(conn, [
        fact_row("c1-v9", "c1", datetime(2026, 2, 20, 5, tzinfo=UTC), views=40, likes=4),
        fact_row("c2-v9", "c2", _hour(5), views=7, shares=1, estimated_revenue_cents=3),
        *(_random_fact(rng, "c3-v9", "c3", ts) for ts in FALL_BACK_HOURS),
    ])
    _refresh_and_check(conn)

    # A re-load of an old day: the daily columns rewritten, one video's day replaced.
    day_from = datetime(2026, 3, 7, tzinfo=ZONE)
    day_to = day_from + timedelta(days=1)
    conn.execute(
        "update analytics.fact_video_performance set estimated_revenue_cents = "
        "estimated_revenue_cents + 7, shares = shares + 1, watch_time_minutes = 1.5 "
        "where channel_id = 'c1' and timestamp >= %s and timestamp < %s", (day_from, day_to))
    conn.execute(
        "delete from analytics.fact_video_performance where video_id = 'c2-v0' "
        "and timestamp >= %s and timestamp < %s", (day_from, day_to))
    insert_fact(conn, [
        _random_fact(rng, "c2-v0", "c2", _hour(i)) for i in range(72)
        if day_from <= _hour(i) < day_to
    ])
    _refresh_and_check(conn)

    # Hand-made corrections: a value, a video moved to another channel, a row moved to
    # another month (another partition on the plain path), a deleted hour.
    conn.execute("update analytics.fact_video_performance set views = 999 "
                 "where video_id = 'c3-v1' and timestamp = %s", (_hour(10),))
    conn.execute("update analytics.fact_video_performance set channel_id = 'c2' "
                 "where video_id = 'c1-v2'")
    conn.execute("delete from analytics.fact_video_performance "
                 "where video_id = 'c3-v2' and timestamp = %s", (_hour(30) - timedelta(days=20),))
    conn.execute("update analytics.fact_video_performance set timestamp = timestamp - "
                 "interval '20 days' where video_id = 'c3-v2' and timestamp = %s", (_hour(30),))
    conn.execute("delete from analytics.fact_video_performance where channel_id = 'c3' "
                 "and timestamp = %s", (_hour(12),))
    _refresh_and_check(conn)

    # Revenue: daily loads, a re-load that drops a video, hand corrections.
    videos = sorted({(r["video_id"], r["channel_id"]) for r in source_rows(conn)[0]})
    upsert_revenue(conn, [
        revenue_row(v, c, date(2026, 3, d), ad=rng.randint(0, 900), other=rng.randint(0, 50),
                    sponsorship=rng.choice([0, 500]), ai_cost=rng.choice([0, 0, 120]),
                    api_cost=rng.randint(0, 9))
        for d in range(1, 9) for v, c in videos
    ])
    _refresh_and_check(conn)
    upsert_revenue(conn, [revenue_row(v, c, date(2026, 3, 5), ad=rng.randint(0, 900),
                                      infrastructure_cost=rng.randint(0, 90))
                          for v, c in videos[1:]])
    conn.execute("delete from analytics.revenue_attribution "
                 "where video_id = %s and revenue_date = '2026-03-05'", (videos[0][0],))
    conn.execute("update analytics.revenue_attribution set revenue_date = '2026-02-27' "
                 "where video_id = %s and revenue_date = '2026-03-08'", (videos[1][0],))
    conn.execute("update analytics.revenue_attribution set ai_cost_cents = 0, "
                 "api_cost_cents = 0 where revenue_date = '2026-03-03'")
    _refresh_and_check(conn)

    # TRUNCATE by hand, then a little new data.
    conn.execute("truncate analytics.revenue_attribution")
    upsert_revenue(conn, [revenue_row("c1-v0", "c1", date(2026, 3, 4), ad=10, ai_cost=4)])
    _refresh_and_check(conn)
    conn.execute("truncate analytics.fact_video_performance")
    insert_fact(conn, _hours_of_data(rng, range(40, 44)))
    _refresh_and_check(conn)
    conn.execute("delete from analytics.fact_video_performance")
    conn.execute("delete from analytics.revenue_attribution")
    _refresh_and_check(conn)
    assert all(rows == {} for rows in actual_rollups(conn).values())


def _random_operation(conn, rng) -> None:
    kind = rng.choice(["load", "load", "late", "update", "move", "delete", "revenue",
                       "revenue", "revenue_fix", "revenue_delete", "refresh_hourly", "truncate"])
    if kind == "truncate":
        table = rng.choice(["fact_video_performance", "revenue_attribution"])
        conn.execute(sql.SQL("truncate {}").format(sql.Identifier("analytics", table)))
    elif kind == "revenue_delete":
        conn.execute("delete from analytics.revenue_attribution where revenue_date = %s "
                     "and (ad_revenue_cents %% 2 = 0 or channel_id = %s)",
                     (date(2026, 3, 1) + timedelta(days=rng.randint(0, 9)), rng.choice(CHANNELS)))
    elif kind == "load":
        # Loading hours that already hold rows replaces them (delete, then insert).
        start = rng.randint(0, 70)
        rows = _hours_of_data(rng, range(start, start + rng.randint(1, 3)), skip=0.5)
        with conn.transaction():
            conn.execute("delete from analytics.fact_video_performance where (video_id, "
                         "timestamp) in (select * from unnest(%s::text[], %s::timestamptz[]))",
                         ([r["video_id"] for r in rows], [r["timestamp"] for r in rows]))
            insert_fact(conn, rows)
    elif kind == "late":
        ts = rng.choice([_hour(rng.randint(-24 * 40, 72)), *FALL_BACK_HOURS])
        conn.execute("delete from analytics.fact_video_performance "
                     "where video_id = 'late' and timestamp = %s", (ts,))
        insert_fact(conn, [_random_fact(rng, "late", rng.choice(CHANNELS), ts)])
    elif kind == "update":
        conn.execute(
            "update analytics.fact_video_performance set views = views + %s, likes = likes + 1, "
            "estimated_revenue_cents = %s where channel_id = %s and timestamp >= %s "
            "and timestamp < %s",
            (rng.randint(-3, 50), rng.randint(0, 99), rng.choice(CHANNELS),
             _hour(rng.randint(0, 60)), _hour(rng.randint(0, 72))))
    elif kind == "move":
        conn.execute("update analytics.fact_video_performance set channel_id = %s "
                     "where video_id = %s", (rng.choice(CHANNELS), f"{rng.choice(CHANNELS)}-v0"))
    elif kind == "delete":
        conn.execute("delete from analytics.fact_video_performance where timestamp >= %s "
                     "and timestamp < %s and views %% 3 = 0",
                     (_hour(rng.randint(-24 * 40, 60)), _hour(rng.randint(0, 72))))
    elif kind == "revenue":
        day = date(2026, 3, 1) + timedelta(days=rng.randint(0, 9))
        upsert_revenue(conn, [
            revenue_row(f"{c}-v{j}", c, day, ad=rng.randint(0, 500), affiliate=rng.randint(0, 9),
                        ai_cost=rng.choice([0, rng.randint(1, 300)]))
            for c in CHANNELS for j in range(3) if rng.random() < 0.7
        ])
    elif kind == "revenue_fix":
        conn.execute("update analytics.revenue_attribution set other_revenue_cents = "
                     "other_revenue_cents + 1, revenue_date = revenue_date + %s "
                     "where channel_id = %s and revenue_date = %s",
                     (rng.choice([0, 30]), rng.choice(CHANNELS),
                      date(2026, 3, 1) + timedelta(days=rng.randint(0, 9))))
    else:
        for rollup in rollups.HOURLY_ROLLUPS:
            rollups.refresh_for_run(conn, rollup, AS_OF)
        assert_rollups_match(conn, rollups.HOURLY_ROLLUPS)


@pytest.mark.parametrize("seed", [11, 12])
def test_random_sequences_of_changes_and_refreshes(warehouse, seed):
    conn, rng = warehouse, random.Random(seed)
    insert_fact(conn, _hours_of_data(rng, range(0, 72), skip=0.3))
    _refresh_and_check(conn)
    for step in range(30):
        _random_operation(conn, rng)
        if step % 5 == 4:
            if step == 14:
                partitions.ensure_fact_partitions(
                    conn, *partitions.months_around(datetime(2026, 3, 9, 3, tzinfo=ZONE)))
            _refresh_and_check(conn)
    _refresh_and_check(conn)


def test_full_rebuild_repairs_rollups_that_no_invalidation_covers(warehouse):
    conn, rng = warehouse, random.Random(7)
    insert_fact(conn, _hours_of_data(rng, range(30)))
    upsert_revenue(conn, [revenue_row("c1-v0", "c1", date(2026, 3, d), ad=100 * d, ai_cost=30)
                          for d in range(1, 5)])
    refresh_everything(conn, AS_OF)
    damage = {"hourly_channel_metrics": "total_views", "mv_recent_performance": "views",
              "mv_historical_performance": "views", "daily_revenue_summary": "total_revenue"}
    for rollup, column in damage.items():
        conn.execute(sql.SQL("update {} set {} = {} + 1").format(
            stored_rows_table(conn, rollup), sql.Identifier(column), sql.Identifier(column)))

    # A normal refresh only recomputes invalidated buckets: the damage stays.
    refresh_everything(conn, AS_OF)
    expected = expected_rollups(*source_rows(conn))
    actual = actual_rollups(conn)
    assert all(actual[r] != expected[r] for r in damage)

    for rollup in damage:
        rollups.rebuild(conn, rollup)
    assert_rollups_match(conn)


def test_rebuild_names_are_checked_and_caggs_point_to_the_right_call(warehouse):
    conn = warehouse
    with pytest.raises(ValueError, match="unknown rollup"):
        rollups.rebuild(conn, "channel_performance_view")
    with pytest.raises(psycopg.errors.RaiseException, match="unknown rollup"):
        conn.execute("select analytics.rebuild_rollup('nope')")
    if rollups.flavor(conn) == "timescale":
        with pytest.raises(psycopg.errors.RaiseException) as error:
            conn.execute("select analytics.rebuild_rollup('hourly_channel_metrics')")
        assert "force => true" in error.value.diag.message_hint
    else:
        assert conn.execute(
            "select analytics.rebuild_rollup('hourly_channel_metrics')").fetchone() == (0,)

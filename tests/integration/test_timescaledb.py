"""TimescaleDB's own machinery on the TimescaleDB path: the policies the migrations
register, executed the way the 3 AM DAG executes them (`CALL run_job`), compression,
and a re-load of a day whose chunk is already compressed.

TimescaleDB path only: policies, jobs, chunks and compression exist there alone (the
plain path's counterparts are in test_plain_partitions.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from psycopg import sql
from revenue_expect import assert_invariant_4, day_hours
from test_refresh_recompute import stored_rows_table
from test_youtube_revenue_spread import CH, costs, figures, given_channels, hourly, load, reattribute

from ytempire import rollups, settings

pytestmark = pytest.mark.only_path("timescale")

POLICY_JOBS = """
select coalesce(c.view_name, j.hypertable_name), j.job_id, j.schedule_interval,
       (j.config ->> 'start_offset')::interval, (j.config ->> 'end_offset')::interval,
       (j.config ->> 'compress_after')::interval
from timescaledb_information.jobs as j
left join timescaledb_information.continuous_aggregates as c
    on c.materialization_hypertable_name = j.hypertable_name
where j.proc_schema = '_timescaledb_functions' and j.hypertable_name is not null
"""


def _policies(conn) -> dict:
    return {name: rest for name, *rest in conn.execute(POLICY_JOBS)}


def test_policies_are_registered_with_the_configured_intervals(warehouse):
    got = {name: (schedule, start, end, after)
           for name, (_, schedule, start, end, after) in _policies(warehouse).items()}
    hour, day = timedelta(hours=1), timedelta(days=1)
    assert got == {
        "hourly_channel_metrics": (timedelta(minutes=30), 3 * day, hour, None),
        "mv_recent_performance": (hour, 3 * day, hour, None),
        "mv_historical_performance": (day, settings.RELOAD_WINDOW_DAYS * day, hour, None),
        "mv_video_daily_performance": (day, settings.RELOAD_WINDOW_DAYS * day, hour, None),
        "mv_video_daily_views": (day, settings.RELOAD_WINDOW_DAYS * day, hour, None),
        "fact_video_performance": (got["fact_video_performance"][0], None, None,
                                   settings.COMPRESS_AFTER_DAYS * day),
    }


def test_refresh_policies_run_by_run_job_materialize_their_window(warehouse):
    """Each continuous-aggregate policy, run as a job, materializes the complete buckets
    inside its window (start_offset .. end_offset before now) and nothing older."""
    conn = warehouse
    now_hour = conn.execute("select date_trunc('hour', now())").fetchone()[0]
    recent = [now_hour - timedelta(hours=h) for h in (5, 4, 3)]
    older = now_hour - timedelta(days=10)
    conn.execute(
        "insert into analytics.fact_video_performance (video_id, channel_id, timestamp, views) "
        "select 'v1', 'UC1', t, 7 from unnest(%s::timestamptz[]) as t", ([*recent, older],))

    for rollup in rollups.FACT_ROLLUPS:
        assert conn.execute(sql.SQL("select count(*) from {}").format(
            stored_rows_table(conn, rollup))).fetchone() == (0,)
        job_id = _policies(conn)[rollup][0]
        conn.execute("call public.run_job(%s::integer)", (job_id,))

    def stored(rollup, bucket):
        return {row[0] for row in conn.execute(sql.SQL("select {} from {}").format(
            sql.Identifier(bucket), stored_rows_table(conn, rollup)))}

    assert stored("hourly_channel_metrics", "hour") == set(recent)  # 10 days old: outside 3 days
    assert stored("mv_recent_performance", "hour") == set(recent)
    days = conn.execute(
        "select distinct analytics.warehouse_day_start(d) from unnest(%s::timestamptz[]) as t, "
        "lateral (select (t at time zone analytics.warehouse_tz())::date as d) as local_day "
        "where analytics.warehouse_day_start(d + 1) <= now() - interval '1 hour'",
        ([*recent, older],)).fetchall()
    assert days  # the day 10 days ago at least
    assert stored("mv_historical_performance", "day") == {d for (d,) in days}


def _chunk_of(conn, ts: datetime) -> tuple[str, bool]:
    return conn.execute(
        "select chunk_name, is_compressed from timescaledb_information.chunks "
        "where hypertable_name = 'fact_video_performance' and range_start <= %s "
        "and %s < range_end", (ts, ts)).fetchone()


def test_compression_task_compresses_old_chunks_only(warehouse):
    conn = warehouse
    now = conn.execute("select now()").fetchone()[0]
    old = now - timedelta(days=settings.COMPRESS_AFTER_DAYS + 10)
    recent = now - timedelta(days=2)
    hourly(given_channels(conn), "vidA", [(old.replace(minute=0, second=0, microsecond=0), 5),
                                          (recent.replace(minute=0, second=0, microsecond=0), 6)])

    assert rollups.run_compression_policy(conn) == 1
    assert _chunk_of(conn, old)[1] is True
    assert _chunk_of(conn, recent)[1] is False
    assert conn.execute("select sum(views) from analytics.fact_video_performance"
                        ).fetchone() == (11,)
    assert rollups.run_compression_policy(conn) == 0, "nothing left to compress"


def test_a_reload_of_a_day_in_a_compressed_chunk_lands_exactly(warehouse):
    """The 16th-of-month re-pull and a late cost, for a day whose chunk is compressed."""
    conn = given_channels(warehouse)
    today = conn.execute("select current_date").fetchone()[0]
    day: date = today - timedelta(days=settings.COMPRESS_AFTER_DAYS + 21)
    hours = day_hours(day)
    views = [0, 3, 5, 0, 2]
    hourly(conn, "vidA", list(zip(hours[:5], views, strict=True)))
    hourly(conn, "vidB", [(hours[7], 4)])
    load(conn, day, {"vidA": figures(views=10, dislikes=7), "vidB": figures(views=4, dislikes=2)})
    assert assert_invariant_4(conn) == 2

    assert rollups.run_compression_policy(conn) >= 1
    assert _chunk_of(conn, hours[0])[1] is True

    # the re-pull brings new final views for vidA: 20, spread over its hours as 2:1 of the first
    load(conn, day, {"vidA": figures(views=20, dislikes=11, shares=1, minutes=Decimal("98.5"),
                                     revenue=Decimal("3.14"), ad=Decimal("1.01")),
                     "vidB": figures(views=4, dislikes=0, revenue=Decimal("0.07"),
                                     ad=Decimal("0"))})
    costs(conn, ("vidA", CH, day, "ai_generation", 123), (None, CH, day, "api_calls", 50))
    reattribute(conn, day)

    assert assert_invariant_4(conn) == 2
    sums = dict(conn.execute(
        "select video_id, (sum(views), sum(dislikes), sum(estimated_revenue_cents), "
        "sum(cost_cents))::text from analytics.fact_video_performance group by 1").fetchall())
    # Channel cost by views (vidA 20, vidB 4 of 24): 50 -> 42 + 8 by largest remainder.
    assert sums == {"vidA": "(20,11,314,165)", "vidB": "(4,0,7,8)"}
    hourly_views = [v for (v,) in conn.execute(
        "select views from analytics.fact_video_performance where video_id = 'vidA' "
        "order by timestamp")]
    assert hourly_views == [2 * v for v in views], "final views keep the hours' shape"
    assert datetime.now(UTC) > hours[0]

"""Runs of analytics_refresh_hourly and analytics_refresh_daily (`dag.test()`) against
a real warehouse: rollups equal a full recomputation, upkeep done, every step logged,
a failing step isolated, the full-rebuild param honoured."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from test_refresh_recompute import (
    ZONE,
    actual_rollups,
    assert_rollups_match,
    expected_rollups,
    fact_row,
    insert_fact,
    revenue_row,
    source_rows,
    stored_rows_table,
    upsert_revenue,
)

from ytempire import rollups, settings

from rows import refresh_all

DAGS = Path(__file__).resolve().parents[2] / "dags"
HOURLY, DAILY = "analytics_refresh_hourly", "analytics_refresh_daily"
HOURLY_TASKS = ("refresh_hourly_channel_metrics", "refresh_mv_recent_performance")
DAILY_TASKS = ("ensure_fact_partitions", "prune_video_stats_snapshot", "run_compression_policy",
               "refresh_mv_historical_performance", "refresh_daily_revenue_summary",
               "analyze_changed_tables")


def _run(dag_id: str, logical_date: datetime, conf: dict | None = None):
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS / f"{dag_id}.py"))
    assert bag.import_errors == {}
    return bag.dags[dag_id].test(logical_date=logical_date, run_conf=conf)


def _steps(conn, run_id: str) -> dict[str, tuple]:
    rows = conn.execute(
        "select query_name, success, rows_returned, kind, try_number, execution_time_ms >= 0 "
        "from analytics.query_performance_log where run_id = %s", (run_id,)).fetchall()
    return {name: tuple(rest) for name, *rest in rows}


def _seed_hours(conn, first: datetime, hours: int, channels=("c1", "c2"), videos=2) -> None:
    insert_fact(conn, [
        fact_row(f"{c}-v{v}", c, first + timedelta(hours=h), views=10 * h + v, likes=h, comments=v,
                 estimated_revenue_cents=h + v, cost_cents=1, watch_time_minutes="2.50")
        for h in range(hours) for c in channels for v in range(videos)
    ])


def _stored_count(conn, rollup: str) -> int:
    """Rows materialized by refreshes (TimescaleDB's views also aggregate in real time)."""
    return conn.execute(sql.SQL("select count(*) from {}").format(
        stored_rows_table(conn, rollup))).fetchone()[0]


@pytest.fixture
def conn(warehouse_connection, airflow_db):
    with psycopg.connect(warehouse_connection, autocommit=True) as connection:
        yield connection


def test_hourly_dag_brings_the_recent_rollups_up_to_date_and_logs_each_step(conn, db_path):
    _seed_hours(conn, datetime(2026, 3, 10, 0, tzinfo=UTC), 6)
    insert_fact(conn, [fact_row("c1-late", "c1", datetime(2026, 2, 1, 5, tzinfo=UTC), views=3)])

    run = _run(HOURLY, datetime(2026, 3, 10, 6, 15, tzinfo=UTC))

    assert run.state == "success"
    assert_rollups_match(conn, rollups.HOURLY_ROLLUPS)
    assert _stored_count(conn, "mv_historical_performance") == 0, "the daily rollup is the 3 AM DAG's"
    # (channel, hour) pairs recomputed; TimescaleDB does not say how many.
    buckets = 6 * 2 + 1 if db_path == "plain" else None
    assert _steps(conn, run.run_id) == {
        f"{HOURLY}.{task}": (True, buckets, "step", 1, True) for task in HOURLY_TASKS}


def test_daily_dag_refreshes_history_keeps_partitions_prunes_snapshots_and_analyzes(conn, db_path):
    logical = datetime(2026, 3, 11, 3, tzinfo=ZONE)
    _seed_hours(conn, datetime(2026, 3, 9, 8, tzinfo=UTC), 30)
    # A late row for a month without a partition lands in the DEFAULT partition.
    insert_fact(conn, [fact_row("c2-old", "c2", datetime(2025, 11, 15, 3, tzinfo=UTC), views=5)])
    upsert_revenue(conn, [revenue_row(f"c1-v{v}", "c1", date(2026, 3, d), ad=400 + v, ai_cost=100)
                          for d in (8, 9) for v in range(2)])
    cutoff = logical.astimezone(UTC) - timedelta(days=settings.SNAPSHOT_RETENTION_DAYS)
    snapshots = [
        ("old-a", cutoff - timedelta(days=5)),    # pruned: a newer one exists
        ("old-a", cutoff - timedelta(hours=1)),   # pruned
        ("old-a", cutoff + timedelta(days=34)),   # kept: recent
        ("gone", cutoff - timedelta(days=15)),    # kept: the video's newest
        ("recent", cutoff),                       # kept: not older than the window
    ]
    conn.execute(
        "insert into analytics.video_stats_snapshot (video_id, channel_id, snapshot_hour, "
        "view_count) select v, 'c1', date_trunc('hour', h), 1 "
        "from unnest(%s::text[], %s::timestamptz[]) as s (v, h)",
        ([v for v, _ in snapshots], [h for _, h in snapshots]))
    conn.execute("select pg_stat_force_next_flush()")  # table statistics visible to ANALYZE

    run = _run(DAILY, logical)

    assert run.state == "success"
    assert_rollups_match(conn, rollups.DAILY_ROLLUPS)
    months = ["2025_11", "2026_02", "2026_03", "2026_04", "2026_05", "2026_06"]
    if db_path == "plain":
        partitions = {name for (name,) in conn.execute(
            "select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid "
            "where i.inhparent = 'analytics.fact_video_performance'::regclass")}
        assert partitions == {"fact_video_performance_default"} | {
            f"fact_video_performance_{m}" for m in months}
        assert conn.execute(
            "select count(*) from analytics.fact_video_performance_default").fetchone() == (0,)
        assert conn.execute(
            "select count(*) from analytics.fact_video_performance_2025_11").fetchone() == (1,)
        compressed = None
    else:  # every chunk older than the compression window compressed by the DAG's task
        chunks = dict(conn.execute(
            "select chunk_name, is_compressed from timescaledb_information.chunks "
            "where hypertable_name = 'fact_video_performance' and range_end <= now() - "
            "make_interval(days => %s)", (settings.COMPRESS_AFTER_DAYS,)).fetchall())
        assert len(chunks) == 2 and all(chunks.values())  # March 2026 and November 2025
        compressed = len(chunks)
    kept = conn.execute("select video_id, count(*) from analytics.video_stats_snapshot "
                        "group by 1 order by 1").fetchall()
    assert kept == [("gone", 1), ("old-a", 1), ("recent", 1)]
    analyzed = conn.execute(
        "select last_analyze is not null from pg_stat_user_tables "
        "where relid = 'analytics.revenue_attribution'::regclass").fetchone()
    assert analyzed == (True,)

    steps = _steps(conn, run.run_id)
    assert set(steps) == {f"{DAILY}.{task}" for task in DAILY_TASKS}
    assert all(success and kind == "step" for success, _, kind, _, _ in steps.values())
    assert steps[f"{DAILY}.ensure_fact_partitions"][1] == (len(months) if db_path == "plain" else 0)
    assert steps[f"{DAILY}.run_compression_policy"][1] == compressed
    assert steps[f"{DAILY}.prune_video_stats_snapshot"][1] == 2
    assert steps[f"{DAILY}.refresh_daily_revenue_summary"][1] == 2
    assert steps[f"{DAILY}.analyze_changed_tables"][1] >= 1


def test_a_failing_refresh_never_rolls_back_the_other_and_recovers_on_its_own(conn, db_path):
    _seed_hours(conn, datetime(2026, 3, 10, 0, tzinfo=UTC), 3)
    kind = sql.SQL("table" if db_path == "plain" else "materialized view")
    conn.execute(sql.SQL("alter {} analytics.mv_recent_performance "
                                 "rename to mv_recent_performance_broken").format(kind))

    failed = _run(HOURLY, datetime(2026, 3, 10, 3, 15, tzinfo=UTC))

    assert failed.state == "failed"
    assert_rollups_match(conn, ["hourly_channel_metrics"])
    if db_path == "plain":
        pending = dict(conn.execute(
            "select rollup_name, count(*) from analytics.fact_invalidation group by 1").fetchall())
        assert pending.get("hourly_channel_metrics") is None
        assert pending["mv_recent_performance"] > 0, "the failed refresh consumed nothing"
    steps = _steps(conn, failed.run_id)
    assert steps[f"{HOURLY}.refresh_hourly_channel_metrics"][0] is True
    assert steps[f"{HOURLY}.refresh_mv_recent_performance"][0] is False
    error = conn.execute(
        "select error_message from analytics.query_performance_log where query_name = %s",
        (f"{HOURLY}.refresh_mv_recent_performance",)).fetchone()[0]
    assert "mv_recent_performance" in error and "does not exist" in error

    conn.execute(sql.SQL("alter {} analytics.mv_recent_performance_broken "
                                 "rename to mv_recent_performance").format(kind))
    _seed_hours(conn, datetime(2026, 3, 10, 3, tzinfo=UTC), 1)
    recovered = _run(HOURLY, datetime(2026, 3, 10, 4, 15, tzinfo=UTC))

    assert recovered.state == "success"
    assert_rollups_match(conn, rollups.HOURLY_ROLLUPS)


def test_full_rebuild_param_recomputes_every_bucket(conn):
    _seed_hours(conn, datetime(2026, 3, 9, 8, tzinfo=UTC), 30)
    upsert_revenue(conn, [revenue_row("c1-v0", "c1", date(2026, 3, 9), ad=100, api_cost=7)])
    refresh_all(conn)
    conn.execute(sql.SQL("update {} set total_views = -1").format(
        stored_rows_table(conn, "hourly_channel_metrics")))
    conn.execute("update analytics.daily_revenue_summary set total_revenue = -1")
    damaged = actual_rollups(conn, ["hourly_channel_metrics"])["hourly_channel_metrics"]
    assert damaged != expected_rollups(*source_rows(conn))["hourly_channel_metrics"]

    hourly = _run(HOURLY, datetime(2026, 3, 11, 0, 15, tzinfo=UTC), {"full_rebuild": True})
    daily = _run(DAILY, datetime(2026, 3, 11, 3, tzinfo=ZONE), {"full_rebuild": True})

    assert (hourly.state, daily.state) == ("success", "success")
    assert_rollups_match(conn)

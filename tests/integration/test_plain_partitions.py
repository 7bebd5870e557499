"""Plain path: monthly partitions with a DEFAULT partition, and the invalidation log.
Plain path only: TimescaleDB's hypertable makes its own chunks and its continuous
aggregates keep their own invalidation log (tests/integration/test_timescaledb.py)."""

import pytest

from ytempire import rollups

from rows import facts, utc

pytestmark = pytest.mark.only_path("plain")


def partition_of(conn, video_id, hour):
    return conn.execute(
        "select tableoid::regclass::text from analytics.fact_video_performance"
        " where video_id = %s and timestamp = %s", (video_id, utc(hour))
    ).fetchone()[0]


def test_rows_without_a_partition_land_in_default_and_move_when_it_is_created(warehouse):
    facts(warehouse, ("v1", "UC", "2031-05-10T03:00", 5, 1, 0, 0, 0, 0),
          ("v2", "UC", "2031-06-01T00:00", 7, 0, 0, 0, 0, 0))
    assert partition_of(warehouse, "v1", "2031-05-10T03:00") == (
        "analytics.fact_video_performance_default")
    created = warehouse.execute("select analytics.ensure_fact_partition('2031-05-01')").fetchone()
    assert created == (True,)
    assert partition_of(warehouse, "v1", "2031-05-10T03:00") == (
        "analytics.fact_video_performance_2031_05")
    # June's row stays in DEFAULT; the month boundary belongs to June
    assert partition_of(warehouse, "v2", "2031-06-01T00:00") == (
        "analytics.fact_video_performance_default")
    assert warehouse.execute("select analytics.ensure_fact_partition('2031-05-20')"
                             ).fetchone() == (False,)
    assert warehouse.execute("select sum(views) from analytics.fact_video_performance"
                             ).fetchone() == (12,)


def test_moving_stray_rows_does_not_double_count_in_rollups(warehouse):
    facts(warehouse, ("v1", "UC", "2031-05-10T03:00", 5, 1, 0, 0, 0, 0))
    rollups.refresh_all(warehouse)
    warehouse.execute("select analytics.ensure_fact_partition('2031-05-01')")
    rollups.refresh_all(warehouse)
    assert warehouse.execute("select total_views from analytics.hourly_channel_metrics"
                             ).fetchall() == [(5,)]


def test_hand_made_sql_corrections_are_invalidated(warehouse):
    facts(warehouse, ("v1", "UC", "2026-11-20T10:00", 5, 0, 0, 0, 0, 0),
          ("v2", "UC", "2026-11-20T11:00", 7, 0, 0, 0, 0, 0))
    rollups.refresh_all(warehouse)
    warehouse.execute("update analytics.fact_video_performance set views = 50 where video_id = 'v1'")
    warehouse.execute("delete from analytics.fact_video_performance where video_id = 'v2'")
    counts = rollups.refresh_all(warehouse)
    assert counts["hourly_channel_metrics"] == 2  # the updated hour and the emptied one
    assert warehouse.execute("select hour, total_views from analytics.hourly_channel_metrics"
                             ).fetchall() == [(utc("2026-11-20T10:00"), 50)]
    warehouse.execute("truncate analytics.fact_video_performance")
    rollups.refresh_all(warehouse)
    assert warehouse.execute("select count(*) from analytics.hourly_channel_metrics"
                             ).fetchone() == (0,)
    assert rollups.refresh_all(warehouse)["hourly_channel_metrics"] == 0


def test_deploy_dag_partition_sql_creates_months_around_the_logical_date(warehouse):
    from ytempire.warehouse import sql_file

    rows = warehouse.execute(sql_file("deploy/ensure_partitions.sql"),
                             {"logical_date": "2031-01-15", "months_ahead": 2}).fetchall()
    assert rows == [("2030-12", True), ("2031-01", True), ("2031-02", True), ("2031-03", True)]

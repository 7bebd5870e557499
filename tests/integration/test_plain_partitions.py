"""Plain path: monthly partitions with a DEFAULT partition, created one way
(analytics.ensure_fact_partitions, lock-safe, callable by the loader role), and
the invalidation log. Plain path only: TimescaleDB's hypertable makes its own chunks and
its continuous aggregates keep their own invalidation log (tests/integration/test_timescaledb.py)."""

import threading
from datetime import UTC, date, datetime

import psycopg
import pytest

from ytempire import partitions

from rows import facts, refresh_all, utc

pytestmark = pytest.mark.only_path("plain")


def partition_of(conn, video_id, hour):
    return conn.execute(
        "select tableoid::regclass::text from analytics.fact_video_performance"
        " where video_id = %s and timestamp = %s", (video_id, utc(hour))
    ).fetchone()[0]


def ensure(conn, first: str, last: str) -> list[tuple[str, bool]]:
    return partitions.ensure_fact_partitions(conn, utc(first), utc(last))


def test_rows_without_a_partition_land_in_default_and_move_when_it_is_created(warehouse):
    facts(warehouse, ("v1", "UC", "2031-05-10T03:00", 5, 1, 0, 0, 0, 0),
          ("v2", "UC", "2031-07-01T00:00", 7, 0, 0, 0, 0, 0))
    assert partition_of(warehouse, "v1", "2031-05-10T03:00") == (
        "analytics.fact_video_performance_default")
    # May asked for; July has a stray row, so it is created too; June has neither.
    assert ensure(warehouse, "2031-05-31T23:00", "2031-06-01T00:00") == [
        ("2031-05", True), ("2031-07", True)]
    assert partition_of(warehouse, "v1", "2031-05-10T03:00") == (
        "analytics.fact_video_performance_2031_05")
    assert partition_of(warehouse, "v2", "2031-07-01T00:00") == (
        "analytics.fact_video_performance_2031_07")
    assert ensure(warehouse, "2031-05-20T00:00", "2031-06-01T00:00") == [("2031-05", False)]
    assert warehouse.execute("select sum(views) from analytics.fact_video_performance"
                             ).fetchone() == (12,)


def test_a_moved_row_keeps_every_column(warehouse):
    warehouse.execute(
        "insert into analytics.fact_video_performance (video_id, channel_id, timestamp, views, "
        "likes, comments, watch_time_minutes, estimated_revenue_cents, cost_cents, daily_row) "
        "values ('v1', 'UC', '2031-05-10T07:00Z', 9, 2, 1, 12.5, 300, 40, true)")
    query = "select * from analytics.fact_video_performance"
    before = warehouse.execute(query).fetchall()
    ensure(warehouse, "2031-05-01T00:00", "2031-05-02T00:00")
    assert partition_of(warehouse, "v1", "2031-05-10T07:00") == (
        "analytics.fact_video_performance_2031_05")
    assert warehouse.execute(query).fetchall() == before


def test_a_range_ending_on_a_month_boundary_excludes_that_month(warehouse):
    assert ensure(warehouse, "2031-01-31T23:00", "2031-03-01T00:00") == [
        ("2031-01", True), ("2031-02", True)]


def test_months_around_a_logical_time_and_the_hours_of_youtube_days(monkeypatch):
    monkeypatch.setattr(partitions.settings, "PARTITION_MONTHS_AHEAD", 3)
    # 2031-01-01 02:00 UTC is still 2030-12-31 in Los Angeles: the warehouse day decides.
    assert partitions.months_around(datetime(2031, 1, 1, 2, tzinfo=UTC)) == (
        datetime(2030, 11, 1, tzinfo=UTC), datetime(2031, 4, 1, tzinfo=UTC))
    first, last = partitions.youtube_days(date(2031, 3, 9), date(2031, 3, 31))
    hours = (last.astimezone(UTC) - first.astimezone(UTC)).total_seconds() / 3600
    assert hours == 23 * 24 - 1  # spring forward on 2031-03-09
    assert last.astimezone(UTC) == datetime(2031, 4, 1, 7, tzinfo=UTC)


def test_deploy_dag_partition_range_creates_months_around_the_logical_date(warehouse, monkeypatch):
    monkeypatch.setattr(partitions.settings, "PARTITION_MONTHS_AHEAD", 2)
    rows = partitions.ensure_fact_partitions(
        warehouse, *partitions.months_around(datetime(2031, 1, 15, 12, tzinfo=UTC)))
    assert rows == [("2030-12", True), ("2031-01", True), ("2031-02", True), ("2031-03", True)]


def test_two_loader_sessions_racing_for_a_new_month_both_succeed(warehouse, warehouse_dsn):
    """The second caller checks before the lock (no partition yet), waits for the first,
    then checks again: it must not try to create the partition a second time."""
    first = psycopg.connect(warehouse_dsn)
    second = psycopg.connect(warehouse_dsn, autocommit=True)
    for conn in (first, second):
        conn.execute("set role ytempire_loader")
    first.execute("select * from analytics.ensure_fact_partitions(%s, %s)",
                  (utc("2032-02-10T00:00"), utc("2032-02-10T01:00")))  # holds the lock
    outcome = {}

    def race():
        try:
            outcome["rows"] = ensure(second, "2032-02-10T00:00", "2032-02-10T01:00")
        except psycopg.Error as err:
            outcome["error"] = err

    racer = threading.Thread(target=race)
    racer.start()
    _wait_until_blocked(warehouse, second.info.backend_pid)
    first.commit()
    racer.join(timeout=60)
    first.close()
    second.close()
    assert outcome == {"rows": [("2032-02", False)]}
    assert warehouse.execute(
        "select count(*) from pg_inherits where inhrelid = "
        "'analytics.fact_video_performance_2032_02'::regclass").fetchone() == (1,)


def _wait_until_blocked(conn, pid: int) -> None:
    for _ in range(600):
        waiting = conn.execute("select wait_event_type from pg_stat_activity where pid = %s",
                               (pid,)).fetchone()
        if waiting and waiting[0] == "Lock":
            return
        threading.Event().wait(0.05)
    pytest.fail("the second caller never waited for the partition lock")


def test_moving_stray_rows_does_not_double_count_in_rollups(warehouse):
    facts(warehouse, ("v1", "UC", "2031-05-10T03:00", 5, 1, 0, 0, 0, 0))
    refresh_all(warehouse)
    ensure(warehouse, "2031-05-01T00:00", "2031-05-02T00:00")
    refresh_all(warehouse)
    assert warehouse.execute("select total_views from analytics.hourly_channel_metrics"
                             ).fetchall() == [(5,)]


def test_hand_made_sql_corrections_are_invalidated(warehouse):
    facts(warehouse, ("v1", "UC", "2026-11-20T10:00", 5, 0, 0, 0, 0, 0),
          ("v2", "UC", "2026-11-20T11:00", 7, 0, 0, 0, 0, 0))
    refresh_all(warehouse)
    warehouse.execute("update analytics.fact_video_performance set views = 50 where video_id = 'v1'")
    warehouse.execute("delete from analytics.fact_video_performance where video_id = 'v2'")
    counts = refresh_all(warehouse)
    assert counts["hourly_channel_metrics"] == 2  # the updated hour and the emptied one
    assert warehouse.execute("select hour, total_views from analytics.hourly_channel_metrics"
                             ).fetchall() == [(utc("2026-11-20T10:00"), 50)]
    warehouse.execute("truncate analytics.fact_video_performance")
    refresh_all(warehouse)
    assert warehouse.execute("select count(*) from analytics.hourly_channel_metrics"
                             ).fetchone() == (0,)
    assert refresh_all(warehouse)["hourly_channel_metrics"] == 0

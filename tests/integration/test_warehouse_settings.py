"""Settings take effect by deploying again: stored in analytics.warehouse_settings,
applied by the deploy's settings step, never baked into migration text."""

import shutil
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg
import pytest

from ytempire import migrations, rollups, schema_deploy, settings

from rows import facts

HOURS = [datetime(2026, 11, 19, 15, tzinfo=UTC) + timedelta(hours=h) for h in range(20)]
AFTER = datetime(2026, 11, 25, tzinfo=UTC)  # the refreshes' logical time


def stored(conn) -> dict[str, str]:
    return dict(conn.execute("select name, value from analytics.warehouse_settings").fetchall())


def use(monkeypatch, **values) -> None:
    for name, value in values.items():
        monkeypatch.setattr(settings, name, value)
    if "WAREHOUSE_TZ" in values:
        monkeypatch.setattr(settings, "WAREHOUSE_ZONE", ZoneInfo(values["WAREHOUSE_TZ"]))


@pytest.mark.only_path("plain")
def test_each_setting_changes_on_the_next_deploy(empty_database_dsn, monkeypatch):
    """Plain only: TimescaleDB refuses a zone change (its daily continuous aggregate is
    bucketed by the zone); its policies following the other two settings are tested below."""
    with psycopg.connect(empty_database_dsn, autocommit=True) as conn:
        schema_deploy.deploy(conn)
        assert stored(conn) == {"warehouse_tz": settings.WAREHOUSE_TZ,
                                "compress_after_days": str(settings.COMPRESS_AFTER_DAYS),
                                "reload_window_days": str(settings.RELOAD_WINDOW_DAYS)}
        use(monkeypatch, WAREHOUSE_TZ="Asia/Kolkata", COMPRESS_AFTER_DAYS=90,
            RELOAD_WINDOW_DAYS=50)
        result = schema_deploy.deploy(conn)
        assert result.applied == []
        assert stored(conn) == {"warehouse_tz": "Asia/Kolkata", "compress_after_days": "90",
                                "reload_window_days": "50"}
        assert conn.execute("select analytics.warehouse_tz()").fetchone() == ("Asia/Kolkata",)


@pytest.mark.only_path("plain")
def test_a_new_warehouse_zone_rebuckets_the_daily_rollup_on_the_plain_path(warehouse_dsn,
                                                                           monkeypatch):
    """Plain only: TimescaleDB refuses the zone change (test below)."""
    with psycopg.connect(warehouse_dsn, autocommit=True) as conn:
        hourly_facts_refreshed(conn)
        assert day_views(conn) == expected(HOURS, "America/Los_Angeles")

        use(monkeypatch, WAREHOUSE_TZ="Asia/Kolkata")
        schema_deploy.deploy(conn)
        rollups.refresh_for_run(conn, "mv_historical_performance", AFTER)
        assert day_views(conn) == expected(HOURS, "Asia/Kolkata")


INTERRUPTING_MIGRATION = {"failed": "select no_such_function();",
                          "killed": "select pg_sleep(60); -- killed by the test"}


@pytest.mark.only_path("plain")
@pytest.mark.parametrize("interruption", INTERRUPTING_MIGRATION)
def test_a_zone_change_survives_a_deploy_stopped_before_it_applied_it(warehouse_dsn, monkeypatch,
                                                                      tmp_path, interruption):
    """Plain only: TimescaleDB refuses the zone change. Issue 18: the deploy used to store
    (and commit) the settings before the migrations and apply them after; a deploy that
    failed or was killed in between left the new zone stored but not applied, the next
    deploy saw no change, and the daily rollup kept the old zone's days for good."""
    directory = tmp_path / "migrations"
    shutil.copytree(migrations.MIGRATIONS_DIR, directory)
    (directory / "9999_interrupted.sql").write_text(INTERRUPTING_MIGRATION[interruption])
    with psycopg.connect(warehouse_dsn, autocommit=True) as conn:
        hourly_facts_refreshed(conn)
        use(monkeypatch, WAREHOUSE_TZ="Asia/Kolkata")
        if interruption == "killed":
            # A lost session is retryable (Airflow retries the task): raised unchanged.
            with pytest.raises(psycopg.OperationalError), \
                    terminating(warehouse_dsn, "select pg_sleep(60)%"):
                schema_deploy.deploy(conn, directory)
        else:
            with pytest.raises(migrations.MigrationError, match="9999_interrupted.sql"):
                schema_deploy.deploy(conn, directory)
    with psycopg.connect(warehouse_dsn, autocommit=True) as conn:
        assert stored(conn)["warehouse_tz"] == "America/Los_Angeles"  # nothing half-done
        assert day_views(conn) == expected(HOURS, "America/Los_Angeles")
        schema_deploy.deploy(conn)
        rollups.refresh_for_run(conn, "mv_historical_performance", AFTER)
        assert stored(conn)["warehouse_tz"] == "Asia/Kolkata"
        assert day_views(conn) == expected(HOURS, "Asia/Kolkata")
        assert sum(day_views(conn).values()) == sum(range(1, len(HOURS) + 1))


@contextmanager
def terminating(dsn: str, query_like: str):
    """Terminates the backend running a query LIKE query_like once it shows up."""
    def kill():
        with psycopg.connect(dsn, autocommit=True) as admin:
            for _ in range(200):
                if admin.execute("select pg_terminate_backend(pid) from pg_stat_activity"
                                 " where query like %s and pid <> pg_backend_pid()",
                                 (query_like,)).fetchall():
                    return
                time.sleep(0.05)

    killer = threading.Thread(target=kill)
    killer.start()
    try:
        yield
    finally:
        killer.join()


def hourly_facts_refreshed(conn) -> None:
    """Views 1, 2, ... in the HOURS, refreshed into the daily rollup in the stored zone."""
    facts(conn, *[("v1", "UC", h.strftime("%Y-%m-%dT%H:%M"), i + 1, 0, 0, 0, 0, 0)
                  for i, h in enumerate(HOURS)])
    rollups.refresh_for_run(conn, "mv_historical_performance", AFTER)


def day_views(conn) -> dict:
    return dict(conn.execute(
        "select day, views::bigint from analytics.mv_historical_performance").fetchall())


def expected(hours: list[datetime], zone_name: str) -> dict:
    """Views (1, 2, ... per hour) summed by the local day of each hour, by hand."""
    zone, days = ZoneInfo(zone_name), {}
    for views, hour in enumerate(hours, start=1):
        day = hour.astimezone(zone).date()
        start = datetime(day.year, day.month, day.day, tzinfo=zone)
        days[start] = days.get(start, 0) + views
    return days


@pytest.mark.only_path("timescale")
def test_policies_follow_the_settings_and_a_zone_change_is_refused(warehouse, monkeypatch):
    """TimescaleDB only: compression and continuous-aggregate policies exist on that path."""
    conn = warehouse
    try:
        use(monkeypatch, COMPRESS_AFTER_DAYS=75, RELOAD_WINDOW_DAYS=50)
        schema_deploy.deploy(conn)
        assert policy_offsets(conn) == ("75 days", "50 days")

        use(monkeypatch, WAREHOUSE_TZ="Asia/Kolkata")
        with pytest.raises(migrations.MigrationError, match="WAREHOUSE_TZ changed from"):
            schema_deploy.deploy(conn)
        assert stored(conn)["warehouse_tz"] == "America/Los_Angeles"
    finally:
        monkeypatch.undo()
        schema_deploy.deploy(conn)
    assert policy_offsets(conn) == (f"{settings.COMPRESS_AFTER_DAYS} days",
                                    f"{settings.RELOAD_WINDOW_DAYS} days")


def policy_offsets(conn) -> tuple[str, str]:
    compress = conn.execute(
        "select config->>'compress_after' from timescaledb_information.jobs"
        " where proc_name = 'policy_compression' and hypertable_name = 'fact_video_performance'"
    ).fetchone()[0]
    reload_window = conn.execute(
        "select config->>'start_offset' from timescaledb_information.jobs"
        " where proc_name = 'policy_refresh_continuous_aggregate'"
        " and hypertable_name = 'mv_historical_performance'"
    ).fetchone()[0]
    return compress, reload_window

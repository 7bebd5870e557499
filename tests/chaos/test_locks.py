"""A reader holding a lock (a person's open transaction in psql, a long report) while a
migration and a refresh want the same table: each gives up within its lock wait and
fails retryably (a psycopg OperationalError, never MigrationError or Airflow's
AirflowFailException); nobody queues behind them meanwhile; the retry after the reader
lets go equals a clean run, and another retry changes nothing. Partition creation
(plain path) gives up the same way behind a long reader of the fact table."""

from __future__ import annotations

import shutil
import time
from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest
from test_youtube_revenue_spread import figures, given_channels, hourly, load

from ytempire import migrations, partitions, rollups, schema_deploy, settings

from .conftest import session, tables

WAIT = timedelta(seconds=2)  # the lock waits in this suite (defaults: 60 s, DDL 10 s)
MARGIN_S = 3
DAY = date(2026, 11, 20)
MIGRATION = "alter table analytics.daily_revenue_summary add column chaos_note text;\n"


@pytest.fixture
def migrations_dir(tmp_path):
    """This release's migrations and one more that alters a rollup table."""
    directory = tmp_path / "migrations"
    shutil.copytree(migrations.MIGRATIONS_DIR, directory)
    (directory / "0119_chaos_note.sql").write_text(MIGRATION)
    return directory


def timed(action) -> tuple[float, BaseException | None]:
    started = time.monotonic()
    try:
        action()
    except BaseException as err:  # noqa: BLE001 (the test judges what was raised)
        return time.monotonic() - started, err
    return time.monotonic() - started, None


def loaded(conn):
    given_channels(conn)
    hourly(conn, "vidA", [(datetime(2026, 11, 20, 20, tzinfo=UTC), 10)])
    load(conn, DAY, {"vidA": figures()})


def deploy(dsn, migrations_dir):
    with session(dsn, lock_timeout=WAIT) as conn:
        schema_deploy.deploy(conn, migrations_dir)


def refresh(dsn):
    with session(dsn, lock_timeout=WAIT) as conn:
        rollups.refresh(conn, "daily_revenue_summary")


def test_a_reader_holding_a_lock_makes_a_migration_and_a_refresh_give_up_in_time(
        dsn, clean_dsn, migrations_dir):
    with session(dsn) as conn:
        loaded(conn)
    with psycopg.connect(dsn) as reader, session(dsn, lock_timeout=WAIT) as bystander:
        reader.execute("lock table analytics.daily_revenue_summary in share mode")
        for action in (lambda: deploy(dsn, migrations_dir), lambda: refresh(dsn)):
            elapsed, error = timed(action)
            assert isinstance(error, psycopg.errors.LockNotAvailable), error
            assert elapsed < WAIT.total_seconds() + MARGIN_S
            # Nobody queued behind the request that gave up: another reader reads.
            bystander.execute("select count(*) from analytics.daily_revenue_summary")
        reader.rollback()
    deploy(dsn, migrations_dir)
    refresh(dsn)
    with session(dsn) as conn:
        after_retry = tables(conn)
    deploy(dsn, migrations_dir)
    refresh(dsn)
    with session(dsn) as conn:
        assert tables(conn) == after_retry
    with session(clean_dsn) as conn:
        loaded(conn)
    deploy(clean_dsn, migrations_dir)
    refresh(clean_dsn)
    with session(clean_dsn) as conn:
        assert tables(conn) == after_retry


@pytest.mark.only_path("plain")
def test_a_new_partition_gives_up_behind_a_long_reader_and_nobody_queues(
        dsn, monkeypatch):
    """Plain path only: monthly partitions exist only there (TimescaleDB makes its chunks
    without a lock on the whole table)."""
    monkeypatch.setattr(settings, "DDL_LOCK_TIMEOUT", WAIT)
    month = datetime(2027, 6, 1, tzinfo=UTC)
    with psycopg.connect(dsn) as reader, session(dsn) as upkeep, \
            session(dsn, lock_timeout=WAIT) as loader:
        reader.execute("select count(*) from analytics.fact_video_performance")
        elapsed, error = timed(lambda: partitions.ensure_fact_partitions(
            upkeep, month, month + timedelta(days=1)))
        assert isinstance(error, psycopg.errors.LockNotAvailable), error
        assert elapsed < WAIT.total_seconds() + MARGIN_S
        given_channels(loader)  # writers were never queued behind it
        hourly(loader, "vidA", [(datetime(2026, 11, 20, 20, tzinfo=UTC), 10)])
        reader.rollback()
        # The retry creates the month, and the month of the row written meanwhile (it
        # waited in the DEFAULT partition); another retry changes nothing.
        assert partitions.ensure_fact_partitions(upkeep, month, month + timedelta(days=1)) == [
            ("2026-11", True), ("2027-06", True)]
        assert partitions.ensure_fact_partitions(upkeep, month, month + timedelta(days=1)) == [
            ("2027-06", False)]

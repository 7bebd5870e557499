"""Crashes inside a unit of work: the server stopped like a power cut (`pg_ctl -m
immediate`) inside a revenue channel-day and an hourly channel-hour; a revenue batch
cut after its first channel committed, then retried; a task process SIGKILLed inside its
transaction; a backend terminated inside a rollup refresh, snapshot retention and
partition upkeep. The kill points are
deterministic: a test-only trigger that waits on an advisory lock the test holds, or a
lock the test holds that the victim waits for, seen in pg_stat_activity. Each ends
with: nothing partial, the rerun equals a clean run of the same inputs, and a second
rerun changes nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from test_youtube_revenue_spread import CH, OTHER, figures, given_channels, hourly, load

from ytempire import partitions, rollups, settings
from ytempire.youtube.channels import Channel
from ytempire.youtube.hourly import write as hourly_write
from ytempire.youtube.hourly.parse import Counters, ParsedHour
from ytempire_dev.testing.sessions import gone, running, waiting_on_lock

from .conftest import in_thread, session, tables

DAY = date(2026, 11, 20)
HOURS = [datetime(2026, 11, 20, h, tzinfo=UTC) for h in (18, 19, 20)]
PAUSE_KEY = 4242
KEEPALIVE_S = 1  # the task process's keepalive interval here (default 10 s)


# When the pause fires: after a statement that wrote the table, or at its first deleted row.
AFTER_WRITES = sql.SQL("after insert or update on {} for each statement")
AT_FIRST_DELETE = sql.SQL("after delete on {} for each row")


def hook(conn, table: str, when: sql.SQL = AFTER_WRITES) -> None:
    """A test-only trigger: a statement on `table` waits for the advisory lock the test
    holds (PAUSE_KEY), inside the victim's transaction."""
    conn.execute("create function analytics.chaos_pause() returns trigger language plpgsql as "
                 "$$ begin perform pg_advisory_xact_lock(4242); return null; end $$")  # PAUSE_KEY
    conn.execute(sql.SQL("create trigger chaos_pause {} execute function analytics.chaos_pause()")
                 .format(when.format(sql.Identifier("analytics", table))))


def unhook(conn, table: str) -> None:
    conn.execute(sql.SQL("drop trigger chaos_pause on {}").format(
        sql.Identifier("analytics", table)))
    conn.execute("drop function analytics.chaos_pause()")


def given(conn):
    given_channels(conn)
    for video, views in (("vidA", 10), ("vidB", 30)):
        hourly(conn, video, [(h, views) for h in HOURS])


def load_day(conn):
    load(conn, DAY, {"vidA": figures(), "vidB": figures(views=90)})


@contextmanager
def paused_inside(dsn, table: str, work, when: sql.SQL = AFTER_WRITES):
    """Runs `work(conn)` in a thread until it reaches the pause trigger on `table`; yields
    (the session holding the pause, the victim's pid) for the test to break it there; then
    the work must have failed retryably (a psycopg OperationalError). Unhooking is the
    caller's (after a power cut the server must be started first)."""
    with session(dsn) as conn:
        hook(conn, table, when)
    with session(dsn) as holder:
        holder.execute("select pg_advisory_lock(%s)", (PAUSE_KEY,))
        thread, outcome = in_thread(lambda: work(psycopg.connect(dsn, autocommit=True)))
        yield holder, waiting_on_lock(holder)[0]
    thread.join(30)
    assert isinstance(outcome.get("error"), psycopg.OperationalError), outcome


def terminated_inside(dsn, table: str, work, when: sql.SQL = AFTER_WRITES) -> dict:
    """`work` terminated (pg_terminate_backend) at the pause; every table afterwards."""
    with paused_inside(dsn, table, work, when) as (holder, pid):
        holder.execute("select pg_terminate_backend(%s)", (pid,))
    with session(dsn) as conn:
        unhook(conn, table)
        return tables(conn)


def stopped_inside(chaos_cluster, dsn, table: str, work) -> dict:
    """`work` cut by the server stopped like a power cut at the pause, the server started
    again; every table as it was after recovery."""
    with paused_inside(dsn, table, work):
        chaos_cluster.crash()
    chaos_cluster.start()
    with session(dsn) as conn:
        unhook(conn, table)
        return tables(conn)


def test_the_server_stopped_inside_a_revenue_channel_day(chaos_cluster, dsn, clean_dsn):
    with session(dsn) as conn:
        given(conn)
        before = tables(conn)
    assert stopped_inside(chaos_cluster, dsn, "revenue_attribution", load_day) == before, \
        "the channel-day is absent, not partial"
    with session(dsn) as conn:
        load_day(conn)
        rerun = tables(conn)
        load_day(conn)
        assert tables(conn) == rerun
    with session(clean_dsn) as clean:
        given(clean)
        load_day(clean)
        assert tables(clean) == rerun


def collect(conn, hour: datetime, views: dict[str, int]):
    """One channel-hour of the hourly collector, written as its runner's batch write does
    (one transaction for the batch's channels)."""
    unit = ParsedHour(hour, [Counters(v, n, n // 10, n // 100) for v, n in views.items()], [],
                      [], received=len(views))
    with conn.transaction():
        hourly_write.write_batch(conn, [(Channel(CH, "youtube_default", True), unit)], "test")


HOURLY = [(HOURS[0], {"vidA": 1000, "vidB": 50}), (HOURS[1], {"vidA": 1012, "vidB": 50})]


def test_the_server_stopped_inside_an_hourly_channel_hour(chaos_cluster, dsn, clean_dsn):
    """Stopped after the hour's snapshots and increments were written, before its commit."""
    with session(dsn) as conn:
        given_channels(conn)
        collect(conn, *HOURLY[0])
        before = tables(conn)
    after = stopped_inside(chaos_cluster, dsn, "video_stats_snapshot",
                           lambda conn: collect(conn, *HOURLY[1]))
    assert after == before, "the channel-hour is absent, not partial"
    with session(dsn) as conn:
        collect(conn, *HOURLY[1])
        rerun = tables(conn)
        collect(conn, *HOURLY[1])
        assert tables(conn) == rerun
    with session(clean_dsn) as clean:
        given_channels(clean)
        for hour, views in HOURLY:
            collect(clean, hour, views)
        assert tables(clean) == rerun


BATCH = {CH: {"vidA": figures(), "vidB": figures(views=90)}, OTHER: {"vidO": figures(views=40)}}


def load_batch(conn, channels):
    """A revenue batch as its runner writes it: one channel-day after the other."""
    for cid in channels:
        load(conn, DAY, BATCH[cid], channel_id=cid)


def test_a_retry_after_a_partly_committed_batch_replaces_the_first_channels_day(
        dsn, clean_dsn):
    """The first try commits CH's channel-day, then its session is cut inside OTHER's (the
    task fails); the retry loads the whole batch again: CH's rows are replaced, not added."""
    for target in (dsn, clean_dsn):
        with session(target) as conn:
            given(conn)
            hourly(conn, "vidO", [(h, 20) for h in HOURS], channel_id=OTHER)
    with session(dsn) as conn:
        load_batch(conn, [CH])
    after = terminated_inside(dsn, "revenue_attribution", lambda conn: load_batch(conn, [OTHER]))
    with session(clean_dsn) as clean:
        load_batch(clean, [CH])
        first_channel_only = tables(clean)
        load_batch(clean, [OTHER])
        clean_batch = tables(clean)
    assert after == first_channel_only, "CH's day committed, OTHER's absent"
    with session(dsn) as conn:
        load_batch(conn, BATCH)
        assert tables(conn) == clean_batch
        load_batch(conn, BATCH)
        assert tables(conn) == clean_batch


def prune(conn) -> int:
    """The 3 AM upkeep's snapshot retention, run the day after the newest hour expires."""
    return rollups.prune_snapshots(
        conn, HOURS[-1] + timedelta(days=settings.SNAPSHOT_RETENTION_DAYS, hours=1))


def test_snapshot_retention_terminated_midway(dsn, clean_dsn):
    """Terminated at the first row it deleted: nothing is pruned; the rerun prunes what a
    clean run prunes (every video's newest snapshot kept) and another rerun nothing."""
    hours = [(h, {"vidA": 1000 + 7 * i, "vidB": 50 + i}) for i, h in enumerate(HOURS)]
    for target in (dsn, clean_dsn):
        with session(target) as conn:
            given_channels(conn)
            for hour, views in hours:
                collect(conn, hour, views)
    with session(dsn) as conn:
        before = tables(conn)
    assert terminated_inside(dsn, "video_stats_snapshot", prune, AT_FIRST_DELETE) == before, \
        "nothing pruned"
    with session(dsn) as conn, session(clean_dsn) as clean:
        assert prune(conn) == 2 * (len(HOURS) - 1)
        assert prune(conn) == 0
        assert prune(clean) == 2 * (len(HOURS) - 1)
        assert tables(conn) == tables(clean)
        assert conn.execute("select count(*) from analytics.video_stats_snapshot"
                            ).fetchone()[0] == 2


def upkeep(conn):
    """The 3 AM partition upkeep for a month ahead; the months it created or found."""
    month = datetime(2027, 6, 1, tzinfo=UTC)
    return partitions.ensure_fact_partitions(conn, month, month + timedelta(days=1))


def fact_partitions(conn) -> list[str]:
    return sorted(r[0] for r in conn.execute(
        "select inhrelid::regclass::text from pg_inherits "
        "where inhparent = 'analytics.fact_video_performance'::regclass"))


@pytest.mark.only_path("plain")
def test_partition_upkeep_terminated_midway(dsn, clean_dsn):
    """Plain path only: monthly partitions exist only there. Terminated at the first row it
    moved out of DEFAULT into the new month: no month created, every row still in DEFAULT;
    the rerun equals a clean upkeep, another rerun creates nothing."""
    for target in (dsn, clean_dsn):
        with session(target) as conn:
            given(conn)  # November 2026 hours: no partition yet, they wait in DEFAULT
    with session(dsn) as conn:
        before = tables(conn), fact_partitions(conn)
    after = terminated_inside(dsn, "fact_video_performance_default", upkeep, AT_FIRST_DELETE)
    with session(dsn) as conn, session(clean_dsn) as clean:
        assert (after, fact_partitions(conn)) == before, "nothing moved, no month created"
        assert upkeep(conn) == upkeep(clean) == [("2026-11", True), ("2027-06", True)]
        assert upkeep(conn) == [("2027-06", False)]
        assert (tables(conn), fact_partitions(conn)) == (tables(clean), fact_partitions(clean))
        assert conn.execute("select count(*) from only analytics.fact_video_performance_default"
                            ).fetchone()[0] == 0


@pytest.mark.parametrize("where", ["statement", "idle"])
def test_a_task_killed_inside_its_transaction_leaves_no_lock(dsn, where):
    """Killed while its statement runs, the backend notices within the client check
    interval (keepalive interval); killed while idle in its transaction, at once (the
    socket closes). Either way its row locks are released and nothing it wrote stays."""
    with session(dsn) as conn:
        given_channels(conn)
        before = tables(conn, ["dim_channel"])
    env = {"YTEMPIRE_KEEPALIVE_INTERVAL_SECONDS": str(KEEPALIVE_S)}
    task = subprocess.Popen([sys.executable, str(Path(__file__).with_name("task_process.py")),
                             dsn, where], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, **env})
    ready, pid = task.stdout.readline().split()
    assert ready == "ready"
    with session(dsn, lock_timeout=timedelta(seconds=2)) as observer:
        if where == "statement":
            running(observer, "pg_sleep")
        task.send_signal(signal.SIGKILL)
        task.wait()
        seconds = gone(observer, int(pid))
        assert seconds < KEEPALIVE_S + 3
        observer.execute("update analytics.dim_channel set channel_name = channel_name")
        assert tables(observer, ["dim_channel"]) == before


def rollup_table(conn, db_path) -> str:
    """The table a refresh of hourly_channel_metrics writes (TimescaleDB: the continuous
    aggregate's materialization hypertable)."""
    if db_path == "plain":
        return "analytics.hourly_channel_metrics"
    return conn.execute(
        "select h.schema_name || '.' || h.table_name "
        "from _timescaledb_catalog.continuous_agg as c join _timescaledb_catalog.hypertable "
        "as h on h.id = c.mat_hypertable_id where c.user_view_name = 'hourly_channel_metrics'"
    ).fetchone()[0]


def refresh(dsn):
    with session(dsn) as conn:
        rollups.refresh(conn, "hourly_channel_metrics", (None, datetime(2026, 11, 21, tzinfo=UTC)))


def test_a_backend_terminated_inside_a_rollup_refresh(dsn, clean_dsn, db_path):
    """Plain: the incremental refresh; TimescaleDB: refresh_continuous_aggregate."""
    with session(dsn) as conn:
        given(conn)
    with psycopg.connect(dsn) as reader:
        reader.execute(sql.SQL("lock table {} in share mode").format(
            sql.Identifier(*rollup_table(reader, db_path).split("."))))
        thread, outcome = in_thread(lambda: refresh(dsn))
        with session(dsn) as observer:
            pid = waiting_on_lock(observer)[0]
            observer.execute("select pg_terminate_backend(%s)", (pid,))
        thread.join(30)
        reader.rollback()
    assert isinstance(outcome.get("error"), psycopg.OperationalError)
    refresh(dsn)
    with session(dsn) as conn:
        rerun = tables(conn) | tables(conn, ["hourly_channel_metrics"])
    refresh(dsn)
    with session(dsn) as conn:
        assert tables(conn) | tables(conn, ["hourly_channel_metrics"]) == rerun
    with session(clean_dsn) as clean:
        given(clean)
    refresh(clean_dsn)
    with session(clean_dsn) as clean:
        assert tables(clean) | tables(clean, ["hourly_channel_metrics"]) == rerun

"""Crashes inside a unit of work: the server stopped like a power cut (`pg_ctl -m
immediate`) inside a revenue channel-day, a task process SIGKILLed inside its
transaction, a backend terminated inside a rollup refresh. The kill points are
deterministic: a test-only trigger that waits on an advisory lock the test holds, or a
lock the test holds that the victim waits for, seen in pg_stat_activity. Each ends
with: nothing partial, the rerun equals a clean run of the same inputs, and a second
rerun changes nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from conftest import session, tables
from psycopg import sql
from test_youtube_revenue_spread import figures, given_channels, hourly, load

from ytempire import rollups
from ytempire_dev.testing.sessions import gone, running, waiting_on_lock

DAY = date(2026, 11, 20)
HOURS = [datetime(2026, 11, 20, h, tzinfo=UTC) for h in (18, 19, 20)]
PAUSE_KEY = 4242
# A test-only hook: the statement that fires it waits for the advisory lock the test holds.
HOOK = ("create function analytics.chaos_pause() returns trigger language plpgsql as "
        "$$ begin perform pg_advisory_xact_lock(4242); return null; end $$; "
        "create trigger chaos_pause after insert or update on analytics.revenue_attribution "
        "for each statement execute function analytics.chaos_pause()")
UNHOOK = ("drop trigger chaos_pause on analytics.revenue_attribution; "
          "drop function analytics.chaos_pause()")
KEEPALIVE_S = 1  # the task process's keepalive interval here (default 10 s)


def given(conn):
    given_channels(conn)
    for video, views in (("vidA", 10), ("vidB", 30)):
        hourly(conn, video, [(h, views) for h in HOURS])


def load_day(conn):
    load(conn, DAY, {"vidA": figures(), "vidB": figures(views=90)})


def in_thread(work) -> tuple[threading.Thread, dict]:
    outcome: dict = {}

    def run():
        try:
            work()
        except BaseException as err:  # noqa: BLE001 (the test judges it)
            outcome["error"] = err
    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_the_server_stopped_inside_a_revenue_channel_day(chaos_cluster, dsn, clean_dsn):
    with session(dsn) as conn:
        given(conn)
        before = tables(conn)
        conn.execute(HOOK)
    with session(dsn) as holder:
        holder.execute("select pg_advisory_lock(%s)", (PAUSE_KEY,))
        thread, outcome = in_thread(lambda: load_day(psycopg.connect(dsn, autocommit=True)))
        waiting_on_lock(holder)
        chaos_cluster.crash()
    thread.join(30)
    assert isinstance(outcome.get("error"), psycopg.OperationalError)
    chaos_cluster.start()
    with session(dsn) as conn:
        conn.execute(UNHOOK)
        assert tables(conn) == before, "the channel-day is absent, not partial"
        load_day(conn)
        rerun = tables(conn)
        load_day(conn)
        assert tables(conn) == rerun
    with session(clean_dsn) as clean:
        given(clean)
        load_day(clean)
        assert tables(clean) == rerun


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

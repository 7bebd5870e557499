"""A schema deploy broken at three points: the server stopped between the settings step
and the migrations, the session terminated inside a transactional migration, and during
a no-transaction index build (CREATE INDEX CONCURRENTLY). The deploy carries a changed
setting and three more migrations; the kill points are test-only statements waiting on
an advisory lock the test holds, or the index build waiting for the snapshot of a
transaction the test keeps open, seen in pg_stat_activity. Each ends with: nothing
half-done (no migration recorded that is not whole, no setting applied), the redeploy
equals a clean deploy of the same release and settings (every table and the schema's
columns, indexes with their validity and functions compared), and another deploy
changes nothing."""

from __future__ import annotations

import shutil

import psycopg
import pytest

from ytempire import migrations, schema_deploy, settings
from ytempire_dev.testing.sessions import waiting_on_lock

from .conftest import in_thread, session, tables

BETWEEN_KEY, INSIDE_KEY = 4243, 4244
EXTRA = {  # numbered in the reliability range 0110-0119: 0120 and later are the release's
    # The first pending migration waits before doing anything: the deploy has stored
    # the settings and has not started a migration's work yet.
    "0117_chaos_pause.sql": f"select pg_advisory_xact_lock({BETWEEN_KEY});\n",
    "0118_chaos_notes.sql": (
        "create table analytics.chaos_notes (id integer primary key, note text not null);\n"
        "insert into analytics.chaos_notes values (1, 'it''s \"quoted\"'), (2, '');\n"
        f"select pg_advisory_xact_lock({INSIDE_KEY});\n"
        "alter table analytics.chaos_notes add column checked boolean not null default false;\n"),
    "0119_chaos_notes_index.sql": (
        "-- migrate: no-transaction\n"
        "create index concurrently if not exists chaos_notes_note "
        "on analytics.chaos_notes (note);\n"),
}
CATALOG = (
    "select 'column', table_name, column_name || ' ' || data_type || ' ' || is_nullable "
    "from information_schema.columns where table_schema = 'analytics' "
    "union all select 'index', i.indexrelid::regclass::text, "
    "pg_get_indexdef(i.indexrelid) || ' valid ' || i.indisvalid "
    "from pg_index as i join pg_class as c on c.oid = i.indrelid "
    "where c.relnamespace = 'analytics'::regnamespace "
    "union all select 'function', p.oid::regprocedure::text, pg_get_functiondef(p.oid) "
    "from pg_proc as p where p.pronamespace = 'analytics'::regnamespace "
    "and p.prokind in ('f', 'p') order by 1, 2, 3")


@pytest.fixture
def release(tmp_path, monkeypatch):
    """This release's migrations and three more; a changed reload window."""
    directory = tmp_path / "migrations"
    shutil.copytree(migrations.MIGRATIONS_DIR, directory)
    for name, text in EXTRA.items():
        (directory / name).write_text(text)
    monkeypatch.setattr(settings, "RELOAD_WINDOW_DAYS", settings.RELOAD_WINDOW_DAYS + 7)
    return directory


def deploy(dsn, release):
    with session(dsn) as conn:
        schema_deploy.deploy(conn, release)


def state(dsn) -> tuple[dict, list]:
    with session(dsn) as conn:
        return tables(conn), conn.execute(CATALOG).fetchall()


def interrupted(dsn, release, pause, kill) -> None:
    """Deploys `release` while `pause(holder)` holds it at a kill point; `kill(observer,
    pid)` ends it there. The deploy must fail retryably (a psycopg OperationalError)."""
    with psycopg.connect(dsn, autocommit=True) as holder, session(dsn) as observer:
        pause(holder)
        thread, outcome = in_thread(lambda: deploy(dsn, release))
        pid = waiting_on_lock(observer)[0]
        kill(observer, pid)
        thread.join(60)
        holder.rollback()
    assert isinstance(outcome.get("error"), psycopg.OperationalError), outcome


def hold(key):
    return lambda holder: holder.execute("select pg_advisory_lock(%s)", (key,))


def old_snapshot(holder):
    """An open transaction with a snapshot older than the index build's: the build waits
    for it after the index is built, still INVALID."""
    holder.autocommit = False
    holder.execute("begin isolation level repeatable read")
    holder.execute("select 1")


def terminate(observer, pid):
    observer.execute("select pg_terminate_backend(%s)", (pid,))


def recorded(dsn) -> set[str]:
    with session(dsn) as conn:
        return {r[0] for r in conn.execute(
            "select name from analytics.schema_migrations where name like 'chaos%'")}


def invalid_indexes(dsn) -> list[str]:
    with session(dsn) as conn:
        return [r[0] for r in conn.execute(
            "select indexrelid::regclass::text from pg_index where not indisvalid")]


def reload_window(dsn) -> str:
    with session(dsn) as conn:
        return conn.execute("select value from analytics.warehouse_settings "
                            "where name = 'reload_window_days'").fetchone()[0]


@pytest.mark.parametrize("point", ["between settings and migrations", "inside a migration",
                                   "inside an index build"])
def test_a_deploy_killed_midway_is_finished_by_the_next_deploy(
        chaos_cluster, dsn, clean_dsn, release, point):
    """Between settings and migrations the server is stopped like a power cut; at the
    other two points the deploy's backend is terminated."""
    window = reload_window(dsn)
    if point == "between settings and migrations":
        def crash(_observer, _pid):
            chaos_cluster.crash()
        interrupted(dsn, release, hold(BETWEEN_KEY), crash)
        chaos_cluster.start()
    elif point == "inside a migration":
        interrupted(dsn, release, hold(INSIDE_KEY), terminate)
    else:
        interrupted(dsn, release, old_snapshot, terminate)
        assert invalid_indexes(dsn) == ["analytics.chaos_notes_note"], "cut after the build began"
    done = {"between settings and migrations": set(), "inside a migration": {"chaos_pause"},
            "inside an index build": {"chaos_pause", "chaos_notes"}}[point]
    assert recorded(dsn) == done, "only whole migrations are recorded"
    assert reload_window(dsn) == window, "the changed setting is not applied yet"
    deploy(dsn, release)
    redeployed = state(dsn)
    deploy(dsn, release)
    assert state(dsn) == redeployed
    deploy(clean_dsn, release)
    assert state(clean_dsn) == redeployed
    assert reload_window(dsn) == str(settings.RELOAD_WINDOW_DAYS)
    assert invalid_indexes(dsn) == []

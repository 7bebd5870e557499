"""The schema deploy (the `analytics_schema_deploy` DAG): one deploy at a time, each
step committed on its own, so a deploy that fails or is killed anywhere is finished
by the next one.

1. the deploy's own tables (include/sql/deploy/bootstrap.sql);
2. the path: TimescaleDB where the server can run it (asked, never tried), else plain
   PostgreSQL; a warehouse keeps the path of its first deploy;
3. settings: a change that cannot take effect refused, settings seen for the first
   time stored (ytempire.warehouse_settings);
4. versioned migrations (ytempire.migrations), after moving a warehouse of the
   retired history over;
5. repeatable files: functions, views, triggers (ytempire.repeatables);
6. the settings stored and applied in one transaction.

Deploys take a session advisory lock by polling it, and give up after
YTEMPIRE_DEPLOY_LOCK_WAIT_SECONDS (default 600) with DeployLockTimeout (retryable).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

from ytempire import migrations, repeatables, settings, warehouse_settings
from ytempire.migrations import MigrationError
from ytempire.warehouse import fetch_one, recorded_flavor, sql_file

log = logging.getLogger(__name__)

LOCK_KEY = "ytempire.schema_migrations"
LOCK_POLL_SECONDS = 0.5


class DeployLockTimeout(Exception):
    """Another deploy held the deploy lock for longer than the deploy may wait."""


@dataclass
class DeployResult:
    flavor: str
    applied: list[str]
    already_applied: int
    repeatables: list[str]
    settings: list[str]
    pg_stat_statements: bool


def deploy(conn: psycopg.Connection, migrations_dir: Path = migrations.MIGRATIONS_DIR,
           warehouse_dir: Path = repeatables.WAREHOUSE_DIR) -> DeployResult:
    """Bring the warehouse to this release; safe to re-run and to run concurrently."""
    conn.autocommit = True
    _wait_for_lock(conn, settings.DEPLOY_LOCK_WAIT_SECONDS)
    try:
        return _deploy_locked(conn, migrations_dir, warehouse_dir)
    finally:
        if not (conn.closed or conn.broken):  # a lost session has released it
            conn.execute(sql_file("deploy/release_deploy_lock.sql"), {"lock_key": LOCK_KEY})


def _wait_for_lock(conn: psycopg.Connection, wait_seconds: float) -> None:
    """Take the deploy lock by polling: a session blocked in pg_advisory_lock would
    hold a snapshot that CREATE INDEX CONCURRENTLY in the holder waits for."""
    started = time.monotonic()
    logged = 0.0
    while not fetch_one(conn, "deploy/try_deploy_lock.sql", {"lock_key": LOCK_KEY})[0]:
        waited = time.monotonic() - started
        if waited >= wait_seconds:
            holders = conn.execute(sql_file("deploy/deploy_lock_holder.sql"),
                                   {"lock_key": LOCK_KEY}).fetchall()
            raise DeployLockTimeout(
                f"gave up after waiting {wait_seconds:.0f} s (YTEMPIRE_DEPLOY_LOCK_WAIT_SECONDS) "
                f"for the deploy lock, held by {_describe(holders)}: another schema deploy is "
                "running or stuck. Let it finish and deploy again; if it is stuck, end that "
                "session first (select pg_terminate_backend(pid))."
            )
        if waited >= logged:
            log.info("another schema deploy is running; waiting for it (%.0f s)", waited)
            logged += 10
        time.sleep(LOCK_POLL_SECONDS)


def _describe(holders: list[tuple]) -> str:
    return "; ".join(
        f"pid {pid} ({application or 'no application name'}, {state}, connected {since:%Y-%m-%d %H:%M %Z})"
        for pid, application, state, since in holders
    ) or "a session that has released it since"


def _use_extension(conn: psycopg.Connection, name: str) -> bool:
    """Create an extension in public when the server can run it (available and preloaded)."""
    usable = fetch_one(conn, "deploy/extension_usable.sql", {"name": name})[0]
    if not usable:
        log.info("extension %s is not available and preloaded on this server", name)
        return False
    conn.execute(sql_file(f"deploy/create_extension_{name}.sql"))
    return True


def _deploy_locked(conn: psycopg.Connection, migrations_dir: Path,
                   warehouse_dir: Path) -> DeployResult:
    with conn.transaction():
        conn.execute(sql_file("deploy/bootstrap.sql"))
    recorded = recorded_flavor(conn)
    has_timescale = _use_extension(conn, "timescaledb")
    if recorded == "timescale" and not has_timescale:
        raise MigrationError(
            "this warehouse was deployed with TimescaleDB but the extension cannot be "
            "created now: add timescaledb to shared_preload_libraries"
        )
    flavor = recorded or ("timescale" if has_timescale else "plain")
    has_pg_stat_statements = _use_extension(conn, "pg_stat_statements")
    log.info("deploying the %s path (pg_stat_statements: %s)", flavor, has_pg_stat_statements)

    try:
        warehouse_settings.store_new(conn, flavor)
    except warehouse_settings.SettingsError as err:
        raise MigrationError(str(err)) from err
    migrations.adopt_retired_history(conn, flavor, migrations_dir)
    applied, skipped = migrations.apply_pending(conn, flavor, migrations_dir)
    code = repeatables.apply(conn, flavor, warehouse_dir, after_migrations=bool(applied))
    settings_applied = warehouse_settings.store_and_apply(conn)
    return DeployResult(flavor, applied, skipped, code, settings_applied, has_pg_stat_statements)

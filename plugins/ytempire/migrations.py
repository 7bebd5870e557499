"""Versioned, recorded, locked schema migrations from include/sql/migrations.

File names: `NNNN_name.sql` (both paths) or `NNNN_name.plain.sql` plus
`NNNN_name.timescale.sql` (one per path). A file whose first line is
`-- migrate: no-transaction` runs statement by statement in autocommit (for
CREATE INDEX CONCURRENTLY); every other file runs in one transaction together
with its record in analytics.schema_migrations.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path

import jinja2
import psycopg
import sqlparse
from psycopg import sql

from ytempire import settings

log = logging.getLogger(__name__)

MIGRATIONS_DIR = settings.SQL_DIR / "migrations"
FLAVORS = ("plain", "timescale")
LOCK_KEY = "ytempire.schema_migrations"
NO_TRANSACTION = "-- migrate: no-transaction"
_FILE_NAME = re.compile(r"^(?P<version>\d{4})_(?P<name>[a-z0-9_]+?)(\.(?P<flavor>plain|timescale))?\.sql$")


class MigrationError(Exception):
    """A migration cannot be applied; the message says what to do."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path

    @property
    def transactional(self) -> bool:
        return not self.path.read_text().startswith(NO_TRANSACTION)


@dataclass
class DeployResult:
    flavor: str
    applied: list[str]
    already_applied: int
    pg_stat_statements: bool


def discover(flavor: str, directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The migrations of one path in version order."""
    by_version: dict[int, dict[str | None, Path]] = {}
    for path in sorted(directory.glob("*.sql")):
        match = _FILE_NAME.match(path.name)
        if not match:
            raise MigrationError(f"{path.name}: migration files are named NNNN_name[.flavor].sql")
        by_version.setdefault(int(match["version"]), {})[match["flavor"]] = path
    migrations = []
    for version, files in sorted(by_version.items()):
        if None in files and len(files) > 1:
            raise MigrationError(f"version {version:04d} has both a shared and a per-path file")
        if None not in files and set(files) != set(FLAVORS):
            raise MigrationError(f"version {version:04d} needs one file per path: {FLAVORS}")
        path = files.get(None) or files[flavor]
        name = _FILE_NAME.match(path.name)["name"]
        migrations.append(Migration(version, name, path))
    return migrations


def template_context() -> dict[str, str]:
    """Values the migrations need as SQL literals (DDL cannot take bound parameters)."""
    return {
        "warehouse_tz": sql.Literal(settings.WAREHOUSE_TZ).as_string(None),
        "compress_after_days": str(int(settings.COMPRESS_AFTER_DAYS)),
        "reload_window_days": str(int(settings.RELOAD_WINDOW_DAYS)),
    }


def render(migration: Migration, context: dict[str, str]) -> str:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)  # noqa: S701
    return env.from_string(migration.path.read_text()).render(context)


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _use_extension(conn: psycopg.Connection, name: str) -> bool:
    """Create an extension in public when the server can run it (available and preloaded)."""
    usable = conn.execute(
        (settings.SQL_DIR / "deploy" / "extension_usable.sql").read_text(), {"name": name}
    ).fetchone()[0]
    if not usable:
        log.info("extension %s is not available and preloaded on this server", name)
        return False
    conn.execute(
        sql.SQL("create extension if not exists {} with schema public").format(sql.Identifier(name))
    )
    return True


def _recorded_flavor(conn: psycopg.Connection) -> str | None:
    row = conn.execute("select min(flavor) from analytics.schema_migrations").fetchone()
    return row[0]


def deploy(conn: psycopg.Connection, directory: Path = MIGRATIONS_DIR) -> DeployResult:
    """Apply every pending migration; safe to re-run and to run concurrently."""
    conn.autocommit = True
    _wait_for_lock(conn)
    try:
        return _deploy_locked(conn, directory)
    finally:
        conn.execute("select pg_advisory_unlock(hashtext(%s))", (LOCK_KEY,))


def _wait_for_lock(conn: psycopg.Connection, poll_seconds: float = 0.5) -> None:
    """Take the deploy lock by polling: a session blocked in pg_advisory_lock would
    hold a snapshot that CREATE INDEX CONCURRENTLY in the holder waits for."""
    waited = 0.0
    while not conn.execute("select pg_try_advisory_lock(hashtext(%s))", (LOCK_KEY,)).fetchone()[0]:
        if waited % 10 < poll_seconds:
            log.info("another schema deploy is running; waiting for it (%.0f s)", waited)
        time.sleep(poll_seconds)
        waited += poll_seconds


def _deploy_locked(conn: psycopg.Connection, directory: Path) -> DeployResult:
    with conn.transaction():
        conn.execute((settings.SQL_DIR / "deploy" / "bootstrap.sql").read_text())
    recorded = _recorded_flavor(conn)
    has_timescale = _use_extension(conn, "timescaledb")
    if recorded == "timescale" and not has_timescale:
        raise MigrationError(
            "this warehouse was deployed with TimescaleDB but the extension cannot be "
            "created now: add timescaledb to shared_preload_libraries"
        )
    flavor = recorded or ("timescale" if has_timescale else "plain")
    has_pg_stat_statements = _use_extension(conn, "pg_stat_statements")
    log.info("deploying the %s path (pg_stat_statements: %s)", flavor, has_pg_stat_statements)

    applied = {
        version: (name, digest)
        for version, name, digest in conn.execute(
            "select version, name, checksum from analytics.schema_migrations"
        )
    }
    context = template_context()
    done, skipped = [], 0
    for migration in discover(flavor, directory):
        text = render(migration, context)
        digest = checksum(text)
        if migration.version in applied:
            _, recorded_digest = applied[migration.version]
            if recorded_digest != digest:
                raise MigrationError(
                    f"migration {migration.path.name} changed after it was applied "
                    f"(checksum {recorded_digest[:12]} recorded, {digest[:12]} now). "
                    "Applied migrations are immutable: revert the file and add a new migration."
                )
            skipped += 1
            continue
        _apply(conn, migration, text, digest, flavor)
        done.append(migration.path.name)
    log.info("applied %d migration(s), %d already applied", len(done), skipped)
    return DeployResult(flavor, done, skipped, has_pg_stat_statements)


def _apply(conn: psycopg.Connection, migration: Migration, text: str, digest: str, flavor: str):
    log.info("applying %s", migration.path.name)
    started = time.perf_counter()
    record = (
        "insert into analytics.schema_migrations (version, name, flavor, checksum, duration_ms) "
        "values (%s, %s, %s, %s, %s)"
    )
    try:
        if migration.transactional:
            with conn.transaction():
                conn.execute(text)
                elapsed = (time.perf_counter() - started) * 1000
                conn.execute(record, (migration.version, migration.name, flavor, digest, elapsed))
        else:
            for statement in sqlparse.split(text):
                if sqlparse.format(statement, strip_comments=True).strip():
                    conn.execute(statement)
            elapsed = (time.perf_counter() - started) * 1000
            conn.execute(record, (migration.version, migration.name, flavor, digest, elapsed))
    except psycopg.Error as err:
        raise MigrationError(f"migration {migration.path.name} failed: {err}") from err
    log.info("applied %s in %.0f ms", migration.path.name, elapsed)

"""Versioned, recorded, locked schema migrations from include/sql/migrations.

File names: `NNNN_name.sql` (both paths) or `NNNN_name.plain.sql` plus
`NNNN_name.timescale.sql` (one per path). A file whose first line is
`-- migrate: no-transaction` runs statement by statement in autocommit (for
CREATE INDEX CONCURRENTLY); every other file runs in one transaction together
with its record in analytics.schema_migrations. After a no-transaction file the
runner looks for INVALID indexes (a failed concurrent build, which
`if not exists` would skip for ever): it drops them and runs the file once more,
and fails if they are still invalid.

Migration text is plain SQL, checksummed as written. Settings the schema derives
objects from are stored before the migrations run and re-applied after them by
the settings step (`ytempire.warehouse_settings`), never rendered into the text.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import sqlparse

from ytempire import settings, warehouse_settings
from ytempire.warehouse import recorded_flavor, sql_file

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


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _use_extension(conn: psycopg.Connection, name: str) -> bool:
    """Create an extension in public when the server can run it (available and preloaded)."""
    usable = conn.execute(sql_file("deploy/extension_usable.sql"), {"name": name}).fetchone()[0]
    if not usable:
        log.info("extension %s is not available and preloaded on this server", name)
        return False
    conn.execute(sql_file(f"deploy/create_extension_{name}.sql"))
    return True


def deploy(conn: psycopg.Connection, directory: Path = MIGRATIONS_DIR) -> DeployResult:
    """Apply every pending migration; safe to re-run and to run concurrently."""
    conn.autocommit = True
    _wait_for_lock(conn)
    try:
        return _deploy_locked(conn, directory)
    finally:
        conn.execute(sql_file("deploy/release_deploy_lock.sql"), {"lock_key": LOCK_KEY})


def _wait_for_lock(conn: psycopg.Connection, poll_seconds: float = 0.5) -> None:
    """Take the deploy lock by polling: a session blocked in pg_advisory_lock would
    hold a snapshot that CREATE INDEX CONCURRENTLY in the holder waits for."""
    waited = 0.0
    try_lock = sql_file("deploy/try_deploy_lock.sql")
    while not conn.execute(try_lock, {"lock_key": LOCK_KEY}).fetchone()[0]:
        if waited % 10 < poll_seconds:
            log.info("another schema deploy is running; waiting for it (%.0f s)", waited)
        time.sleep(poll_seconds)
        waited += poll_seconds


def _deploy_locked(conn: psycopg.Connection, directory: Path) -> DeployResult:
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
        changed_settings = warehouse_settings.store(conn, flavor)
    except warehouse_settings.SettingsError as err:
        raise MigrationError(str(err)) from err

    applied = {
        version: (name, digest)
        for version, name, digest in conn.execute(sql_file("deploy/applied_migrations.sql"))
    }
    done, skipped = [], 0
    for migration in discover(flavor, directory):
        text = migration.path.read_text()
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
    warehouse_settings.apply(conn, changed_settings)
    return DeployResult(flavor, done, skipped, has_pg_stat_statements)


def _apply(conn: psycopg.Connection, migration: Migration, text: str, digest: str, flavor: str):
    log.info("applying %s", migration.path.name)
    started = time.perf_counter()
    record = {"version": migration.version, "name": migration.name, "flavor": flavor,
              "checksum": digest}
    try:
        if migration.transactional:
            with conn.transaction():
                conn.execute(text)
                record["duration_ms"] = (time.perf_counter() - started) * 1000
                conn.execute(sql_file("deploy/record_migration.sql"), record)
        else:
            _run_without_transaction(conn, migration, text)
            record["duration_ms"] = (time.perf_counter() - started) * 1000
            conn.execute(sql_file("deploy/record_migration.sql"), record)
    except psycopg.Error as err:
        raise MigrationError(f"migration {migration.path.name} failed: {err}") from err
    log.info("applied %s in %.0f ms", migration.path.name, record["duration_ms"])


def _run_without_transaction(conn: psycopg.Connection, migration: Migration, text: str) -> None:
    """Statement by statement in autocommit; an index a failed concurrent build left
    INVALID is dropped and the file run once more, then the migration fails."""
    statements = [s for s in sqlparse.split(text) if sqlparse.format(s, strip_comments=True).strip()]
    for attempt in (1, 2):
        for statement in statements:
            conn.execute(statement)
        invalid = conn.execute(sql_file("deploy/invalid_indexes.sql")).fetchall()
        if not invalid:
            return
        names = ", ".join(name for name, _ in invalid)
        if attempt == 2:
            raise MigrationError(
                f"migration {migration.path.name} left INVALID index(es) {names} after a "
                "rebuild; it is not recorded as applied. Find why the build fails (the "
                "server log), fix that, and deploy again."
            )
        log.warning("%s: INVALID index(es) %s; dropping and running it again",
                    migration.path.name, names)
        for _, drop in invalid:
            conn.execute(drop)

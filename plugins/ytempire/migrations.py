"""Versioned migrations from include/sql/migrations: tables, columns, indexes and data
changes, each applied once, recorded with its checksum in analytics.schema_migrations,
and immutable after that. Functions, views and triggers are repeatable files instead
(ytempire.repeatables); the schema deploy runs both (ytempire.schema_deploy).

File names: `NNNN_name.sql` (both paths) or `NNNN_name.plain.sql` plus
`NNNN_name.timescale.sql` (one per path). A file whose first line is
`-- migrate: no-transaction` runs statement by statement in autocommit (for
CREATE INDEX CONCURRENTLY); every other file runs in one transaction together
with its record. After a no-transaction file the runner looks for INVALID
indexes (a failed concurrent build, which `if not exists` would skip for ever):
it drops them and runs the file once more, and fails if they are still invalid.

Migration text is plain SQL, checksummed as written. Settings the schema derives
objects from are read from analytics.warehouse_settings, never rendered into the text.

Versions below 100 are the history retired when functions and views moved into
repeatable files: a warehouse that recorded all of it has every table the current
migrations create, so `adopt_retired_history` records those as applied (a baseline)
in its place. Part of it is an error: that warehouse needs the old release first.
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

from ytempire import settings
from ytempire.warehouse import sql_file

log = logging.getLogger(__name__)

MIGRATIONS_DIR = settings.SQL_DIR / "migrations"
FLAVORS = ("plain", "timescale")
NO_TRANSACTION = "-- migrate: no-transaction"
_FILE_NAME = re.compile(r"^(?P<version>\d{4})_(?P<name>[a-z0-9_]+?)(\.(?P<flavor>plain|timescale))?\.sql$")


class MigrationError(Exception):
    """The schema cannot be deployed as it stands; the message says what to do."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path

    @property
    def transactional(self) -> bool:
        return not self.path.read_text().startswith(NO_TRANSACTION)


def discover(flavor: str, directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The migrations of one path in version order."""
    by_version: dict[int, dict[str | None, Path]] = {}
    for path in sorted(directory.glob("*.sql")):
        match = _FILE_NAME.match(path.name)
        if not match:
            raise MigrationError(f"{path.name}: migration files are named NNNN_name[.flavor].sql")
        files = by_version.setdefault(int(match["version"]), {})
        if match["flavor"] in files or any(
                _FILE_NAME.match(other.name)["name"] != match["name"] for other in files.values()):
            raise MigrationError(
                f"{path.name} and {next(iter(files.values())).name} have the same version: "
                "a version is one migration (one file, or one per path with the same name); "
                "give the newer file the next free number")
        files[match["flavor"]] = path
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


def adopt_retired_history(conn: psycopg.Connection, flavor: str,
                          directory: Path = MIGRATIONS_DIR) -> bool:
    """Replace a whole retired history by the current migrations, recorded as a
    baseline (not run) at the time of the warehouse's first deploy; whether it did."""
    recorded, strays = conn.execute(sql_file("deploy/retired_history.sql")).fetchone()
    if not recorded:
        return False
    if strays:
        raise MigrationError(
            "this warehouse was deployed with the retired migration history (versions below "
            f"0100), but not exactly with it: {', '.join(strays)}. Deploy the last release "
            "that had those files first (git history of include/sql/migrations), then this "
            "one; or deploy a new warehouse (docs/operations.md, Moving an existing "
            "warehouse over)."
        )
    with conn.transaction():
        (first_deploy,) = conn.execute(sql_file("deploy/retire_history.sql")).fetchone()
        for migration in discover(flavor, directory):
            conn.execute(sql_file("deploy/record_migration.sql"), {
                "version": migration.version, "name": migration.name, "flavor": flavor,
                "checksum": checksum(migration.path.read_text()), "duration_ms": 0,
                "applied_at": first_deploy, "baseline": True})
    log.warning("moved this warehouse over from the retired migration history (%d versions): "
                "the current migrations are recorded as its baseline", recorded)
    return True


def apply_pending(conn: psycopg.Connection, flavor: str,
                  directory: Path = MIGRATIONS_DIR) -> tuple[list[str], int]:
    """Apply every migration not yet recorded; (files applied, how many were already)."""
    applied = {
        version: digest
        for version, digest in conn.execute(sql_file("deploy/applied_migrations.sql"))
    }
    done, skipped = [], 0
    for migration in discover(flavor, directory):
        text = migration.path.read_text()
        digest = checksum(text)
        if migration.version in applied:
            if applied[migration.version] != digest:
                raise MigrationError(
                    f"migration {migration.path.name} changed after it was applied "
                    f"(checksum {applied[migration.version][:12]} recorded, {digest[:12]} now). "
                    "Applied migrations are immutable: revert the file and add a new migration."
                )
            skipped += 1
            continue
        _apply(conn, migration, text, digest, flavor)
        done.append(migration.path.name)
    log.info("applied %d migration(s), %d already applied", len(done), skipped)
    return done, skipped


def _apply(conn: psycopg.Connection, migration: Migration, text: str, digest: str, flavor: str):
    log.info("applying %s", migration.path.name)
    started = time.perf_counter()
    record = {"version": migration.version, "name": migration.name, "flavor": flavor,
              "checksum": digest, "applied_at": None, "baseline": False}
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
    except psycopg.OperationalError:
        # A lock wait or statement budget that ran out, a terminated backend, a lost
        # server: the migration is not recorded and the task's retry applies it.
        raise
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

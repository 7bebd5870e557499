"""Repeatable warehouse code from include/sql/warehouse: every function and view in a
file of its own, named after it (`functions/<name>.sql`, `views/<name>.sql`), re-applied
by the schema deploy when the file changes. A trigger function's file also creates the
triggers that call it. Tables, columns, indexes, data changes and TimescaleDB's
continuous aggregates (table-like: a new definition needs a migration) stay versioned
migrations (ytempire.migrations).

Where the paths differ a file is `<name>.plain.sql` and/or `<name>.timescale.sql`; a
file for one path only is an object that exists on that path alone.

Order: a file names the files it needs in `-- requires: kind/name, ...` lines at its
top (a test checks that every other repeatable object it mentions is named there);
the deploy applies files in that dependency order, ties by name.

A file is applied when it is new, when its checksum differs from the one last recorded
for it, when a file it requires was applied in the same deploy (so a file may drop its
object with CASCADE to change its columns or signature), and, every file, after the
deploy applied a versioned migration (which may have dropped what a file defines, e.g.
a view over a column it changes). Each application is recorded in
analytics.schema_repeatables (name, flavour, checksum, reason, duration); a deploy's
applications commit together in one transaction, or none does.
"""

from __future__ import annotations

import graphlib
import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

from ytempire import settings
from ytempire.migrations import FLAVORS, MigrationError, checksum
from ytempire.warehouse import sql_file

log = logging.getLogger(__name__)

WAREHOUSE_DIR = settings.SQL_DIR / "warehouse"
_FILE_NAME = re.compile(r"^(?P<object>[a-z0-9_]+?)(\.(?P<flavor>plain|timescale))?\.sql$")
_REQUIRES = re.compile(r"^-- requires:(?P<names>.*)$")


@dataclass(frozen=True)
class Repeatable:
    name: str  # kind/object, e.g. functions/daily_series
    path: Path
    requires: tuple[str, ...]


def discover(flavor: str, directory: Path = WAREHOUSE_DIR) -> list[Repeatable]:
    """The repeatable files of one path, each after the files it requires."""
    if flavor not in FLAVORS:
        raise ValueError(f"unknown path {flavor!r}")
    by_name: dict[str, dict[str | None, Path]] = {}
    for path in sorted(directory.glob("*/*.sql")):
        match = _FILE_NAME.match(path.name)
        if not match:
            raise MigrationError(f"{path}: repeatable files are named <object>[.flavor].sql")
        by_name.setdefault(f"{path.parent.name}/{match['object']}", {})[match["flavor"]] = path
    files: dict[str, Repeatable] = {}
    for name, paths in by_name.items():
        if None in paths and len(paths) > 1:
            raise MigrationError(f"{name} has both a shared and a per-path file")
        chosen = paths.get(None) or paths.get(flavor)
        if chosen:
            files[name] = Repeatable(name, chosen, _requires(chosen))
    return _in_dependency_order(files)


def _requires(path: Path) -> tuple[str, ...]:
    names = []
    for line in path.read_text().splitlines():
        match = _REQUIRES.match(line)
        if not match:
            break
        names += [name.strip() for name in match["names"].split(",") if name.strip()]
    return tuple(names)


def _in_dependency_order(files: dict[str, Repeatable]) -> list[Repeatable]:
    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
    for file in files.values():
        for needed in file.requires:
            if needed not in files:
                raise MigrationError(f"{file.path}: requires {needed}, which has no file on this path")
        sorter.add(file.name, *file.requires)
    try:
        sorter.prepare()
    except graphlib.CycleError as err:
        raise MigrationError(f"repeatable files require each other in a cycle: {err.args[1]}") from err
    order = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready())
        order += ready
        sorter.done(*ready)
    return [files[name] for name in order]


def apply(conn: psycopg.Connection, flavor: str, directory: Path = WAREHOUSE_DIR,
          after_migrations: bool = False) -> list[str]:
    """Apply the files that are due (module docstring), in one transaction; their names."""
    recorded: dict[str, str] = dict(
        conn.execute(sql_file("deploy/applied_repeatables.sql"), {"flavor": flavor}))
    files = discover(flavor, directory)
    due: dict[str, str] = {}
    with conn.transaction():
        for file in files:
            text = file.path.read_text()
            digest = checksum(text)
            reason = _reason(file, recorded.get(file.name), digest, due, after_migrations)
            if reason:
                _apply(conn, file, text, digest, flavor, reason)
                due[file.name] = reason
    log.info("repeatable files: %d applied, %d unchanged", len(due), len(files) - len(due))
    return list(due)


def _reason(file: Repeatable, recorded: str | None, digest: str, due: dict[str, str],
            after_migrations: bool) -> str | None:
    if recorded is None:
        return "new"
    if recorded != digest:
        return "changed"
    if after_migrations:
        return "migrations applied"
    required = next((name for name in file.requires if name in due), None)
    return f"requires {required}" if required else None


def _apply(conn: psycopg.Connection, file: Repeatable, text: str, digest: str, flavor: str,
           reason: str) -> None:
    started = time.perf_counter()
    try:
        conn.execute(text)
    except psycopg.Error as err:
        raise MigrationError(f"{file.path.relative_to(file.path.parents[1])} failed: {err}; "
                             "no repeatable file of this deploy was applied") from err
    duration_ms = (time.perf_counter() - started) * 1000
    conn.execute(sql_file("deploy/record_repeatable.sql"), {
        "name": file.name, "flavor": flavor, "checksum": digest, "reason": reason,
        "duration_ms": duration_ms})
    log.info("applied %s (%s) in %.0f ms", file.name, reason, duration_ms)

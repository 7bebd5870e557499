"""A PostgreSQL 15 without TimescaleDB, for tests of the plain path on a fresh machine.

The machine's PostgreSQL has TimescaleDB installed. PostgreSQL finds its libraries and
shared files relative to its binaries, so a copy of its bin, lib and share folders with
TimescaleDB's files left out is a PostgreSQL that has never heard of TimescaleDB: its
server offers no such extension and its `pg_config` reports extension folders without it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

PG_CONFIG = "/usr/lib/postgresql/15/bin/pg_config"


def _pg_config(pg_config: str, option: str) -> Path:
    return Path(subprocess.run([pg_config, option], check=True, capture_output=True,
                               text=True).stdout.strip())


@contextmanager
def postgres_without_timescaledb(pg_config: str = PG_CONFIG):
    """Yields the bin folder (its `pg_config`, `initdb`, `pg_ctl`, `postgres`) of a copy of
    the PostgreSQL of `pg_config` without TimescaleDB, removed afterwards."""
    dest = Path(tempfile.mkdtemp(prefix="ytempire-postgres-"))
    try:
        folders = [_pg_config(pg_config, f"--{name}")
                   for name in ("bindir", "pkglibdir", "sharedir")]
        common = Path(os.path.commonpath(folders))
        for folder in folders:
            shutil.copytree(folder, dest / folder.relative_to(common), symlinks=True,
                            ignore=shutil.ignore_patterns("timescaledb*"))
        for path in [dest, *dest.rglob("*")]:  # the server may run as the postgres OS user
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        yield dest / folders[0].relative_to(common)
    finally:
        shutil.rmtree(dest, ignore_errors=True)

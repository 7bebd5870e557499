"""scripts/bootstrap on a machine whose PostgreSQL has no TimescaleDB (a relocated copy of
this machine's PostgreSQL without TimescaleDB's files, `PG_CONFIG` pointing at it): the
plain path installs nothing of TimescaleDB, and the TimescaleDB path without a way to get it
stops with one clear message, never building from a tarball that is not the release."""

from __future__ import annotations

import http.server
import os
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from ytempire_dev.local_pg import free_port
from ytempire_dev.testing.postgres_copy import postgres_without_timescaledb

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bare_pg_config():
    with postgres_without_timescaledb() as bindir:
        yield bindir / "pg_config"


def bootstrap(pg_config: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "TIMESCALEDB_SOURCE"}
    environ.update(PG_CONFIG=str(pg_config), **env)
    return subprocess.run([str(REPO / "scripts" / "bootstrap"), *args], env=environ,
                          capture_output=True, text=True, timeout=600)


def timescaledb_files(pg_config: Path) -> list[str]:
    folders = [subprocess.run([str(pg_config), option], capture_output=True, text=True,
                              check=True).stdout.strip() for option in ("--pkglibdir",
                                                                        "--sharedir")]
    return [str(p) for folder in folders for p in Path(folder).rglob("timescaledb*")]


@contextmanager
def serving(body: bytes):
    """A local HTTP server answering every GET with `body`."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/timescaledb.tar.gz"
    finally:
        server.shutdown()


def test_the_copy_has_no_timescaledb(bare_pg_config):
    assert timescaledb_files(bare_pg_config) == []
    assert subprocess.run([str(bare_pg_config), "--version"], capture_output=True, text=True,
                          check=True).stdout.startswith("PostgreSQL 15")


def test_the_plain_path_needs_no_timescaledb(bare_pg_config):
    done = bootstrap(bare_pg_config, TIMESCALEDB_URL="http://127.0.0.1:9/unreachable")
    assert done.returncode == 0, done.stderr
    assert "TimescaleDB" not in done.stdout + done.stderr
    assert timescaledb_files(bare_pg_config) == []


def test_without_source_or_network_one_clear_message(bare_pg_config):
    done = bootstrap(bare_pg_config, "--timescaledb",
                     TIMESCALEDB_URL=f"http://127.0.0.1:{free_port()}/timescaledb.tar.gz")
    assert done.returncode == 1
    assert "could not be downloaded" in done.stderr
    assert done.stderr.count("Three ways to get it") == 1
    for way in ("timescaledb-2-postgresql-15", "TIMESCALEDB_SOURCE", "download"):
        assert way in done.stderr
    assert timescaledb_files(bare_pg_config) == []


def test_a_download_that_is_not_the_release_is_refused(bare_pg_config, tmp_path):
    fake = tmp_path / "fake.tar.gz"
    subprocess.run(["tar", "czf", str(fake), "-C", str(tmp_path), "--files-from", "/dev/null"],
                   check=True)
    with serving(fake.read_bytes()) as url:
        done = bootstrap(bare_pg_config, "--timescaledb", TIMESCALEDB_URL=url)
    assert done.returncode == 1
    assert "not the release's source (checksum differs)" in done.stderr
    assert "Building" not in done.stdout
    # and a TIMESCALEDB_SOURCE that is not the release, likewise
    done = bootstrap(bare_pg_config, "--timescaledb", TIMESCALEDB_SOURCE=str(fake))
    assert done.returncode == 1 and "checksum differs" in done.stderr
    missing = bootstrap(bare_pg_config, "--timescaledb",
                        TIMESCALEDB_SOURCE=str(tmp_path / "nowhere.tar.gz"))
    assert missing.returncode == 1 and "does not exist" in missing.stderr
    assert timescaledb_files(bare_pg_config) == []

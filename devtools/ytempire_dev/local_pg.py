"""A throwaway PostgreSQL cluster from the machine's server binaries.

Used by the test fixtures and by the run command. Its own data directory, a
free port, a private socket directory, pg_stat_statements preloaded. Two
flavours: "plain", and "timescale" with timescaledb preloaded too (telemetry
off: there is no network), which makes the deploy choose the TimescaleDB path.
When this process runs as root (CI, these sessions), the server runs as the
`postgres` OS user, since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import argparse
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

INSTALL_HINT = (
    "PostgreSQL server binaries (initdb, pg_ctl) were not found. Install them "
    "(Debian/Ubuntu: `apt-get install postgresql postgresql-contrib`), put their "
    "directory on PATH, or set WAREHOUSE_DSN to an existing server."
)
FLAVORS = ("plain", "timescale")
PRELOAD = {"plain": "pg_stat_statements", "timescale": "timescaledb,pg_stat_statements"}


def find_bindir() -> Path:
    candidates = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(Path(os.environ["PG_BINDIR"]))
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        if out.returncode == 0:
            candidates.append(Path(out.stdout.strip()))
    candidates += sorted(
        (Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    if shutil.which("initdb"):
        candidates.append(Path(shutil.which("initdb")).parent)
    for bindir in candidates:
        if (bindir / "initdb").exists() and (bindir / "pg_ctl").exists():
            return bindir
    raise RuntimeError(INSTALL_HINT)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LocalCluster:
    root: Path
    port: int
    bindir: Path
    dbname: str = "warehouse"
    flavor: str = "plain"
    settings: dict[str, str] = field(default_factory=dict)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def dsn(self) -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={self.dbname}"

    @property
    def uri(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{self.dbname}"

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(
                f"{' '.join(args[:2])} failed ({result.returncode}):\n"
                f"{result.stdout}{result.stderr}{tail}"
            )

    def start(self) -> LocalCluster:
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            pg_user = pwd.getpwnam("postgres")
            os.chown(self.root, pg_user.pw_uid, pg_user.pw_gid)
        os.chmod(self.root, 0o700)
        if not (self.data_dir / "PG_VERSION").exists():
            self._run("initdb", "-D", str(self.data_dir), "-U", "postgres",
                      "--auth=trust", "-E", "UTF8", "--no-sync")
        settings = {"listen_addresses": "127.0.0.1", "shared_preload_libraries":
                    PRELOAD[self.flavor], "timezone": "UTC", "fsync": "off",
                    "max_connections": "100"}
        if self.flavor == "timescale":
            settings["timescaledb.telemetry_level"] = "off"
        settings |= self.settings
        options = f"-p {self.port} -k {self.root} " + " ".join(
            f"-c {name}={value}" for name, value in settings.items())
        self._run("pg_ctl", "-D", str(self.data_dir), "-l", str(self.root / "server.log"),
                  "-w", "-o", options, "start")
        self._create_database()
        return self

    def _create_database(self) -> None:
        import psycopg
        from psycopg import sql

        admin = f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            exists = conn.execute(
                "select 1 from pg_database where datname = %s", (self.dbname,)
            ).fetchone()
            if not exists:
                conn.execute(sql.SQL("create database {}").format(sql.Identifier(self.dbname)))

    def crash(self) -> None:
        """Stop the server as a power cut would (`pg_ctl -m immediate`): no checkpoint,
        every session cut; the next start recovers from the WAL."""
        self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")

    def stop(self, remove: bool = True) -> None:
        if (self.data_dir / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop")
        if remove:
            shutil.rmtree(self.root, ignore_errors=True)


def new_cluster(root: Path | None = None, port: int | None = None, flavor: str = "plain",
                settings: dict[str, str] | None = None) -> LocalCluster:
    if flavor not in FLAVORS:
        raise ValueError(f"unknown flavour {flavor!r}; expected one of {FLAVORS}")
    root = root or Path(tempfile.mkdtemp(prefix=f"ytempire-pg-{flavor}-"))
    return LocalCluster(root=root, port=port or free_port(), bindir=find_bindir(),
                        flavor=flavor, settings=settings or {})


@contextmanager
def local_cluster(root: Path | None = None, flavor: str = "plain",
                  settings: dict[str, str] | None = None):
    cluster = new_cluster(root, flavor=flavor, settings=settings).start()
    try:
        yield cluster
    finally:
        cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description="Run a throwaway local PostgreSQL.")
    parser.add_argument("--dir", type=Path, help="cluster directory (kept if given)")
    parser.add_argument("--port", type=int)
    parser.add_argument("--timescaledb", action="store_true", help="the TimescaleDB flavour")
    args = parser.parse_args()
    flavor = "timescale" if args.timescaledb else "plain"
    cluster = new_cluster(args.dir, args.port, flavor).start()
    print(f"WAREHOUSE_DSN {cluster.uri}", flush=True)
    stop = lambda *_: (cluster.stop(remove=args.dir is None), sys.exit(0))  # noqa: E731
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()

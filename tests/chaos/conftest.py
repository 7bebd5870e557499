"""The chaos suite's own PostgreSQL cluster per path (its tests stop it like a power cut
and start it again), a deployed template copied per test, and the comparison every
scenario ends with: whole tables, audit columns aside."""

from __future__ import annotations

import sys
import threading
import uuid
from pathlib import Path

import psycopg
import pytest
from psycopg import conninfo, sql

from ytempire import schema_deploy, warehouse

# The integration tests' helpers build the scenarios' rows (revenue_expect, rows, ...).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))

TEMPLATE = "chaos_template"
# Generated values that differ between a run that was interrupted and a clean one
# without meaning anything: serial ids (a rolled-back insert consumes them) and
# timestamps set to now().
_AUDIT_DEFAULTS = ("nextval(", "now()", "CURRENT_TIMESTAMP", "transaction_timestamp()")
# The deploy's own record of when and how long (analytics.schema_migrations, _repeatables).
_AUDIT_COLUMNS = ("applied_at", "duration_ms")


@pytest.fixture(scope="session")
def chaos_cluster(db_path):
    from ytempire_dev.local_pg import local_cluster

    settings = {"timescaledb.max_background_workers": "0"} if db_path == "timescale" else {}
    with local_cluster(flavor=db_path, settings=settings) as cluster:
        admin = conninfo.make_conninfo(cluster.dsn, dbname="postgres")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("create database {}").format(sql.Identifier(TEMPLATE)))
        with psycopg.connect(conninfo.make_conninfo(cluster.dsn, dbname=TEMPLATE)) as conn:
            schema_deploy.deploy(conn)
        yield cluster


def new_database(cluster) -> str:
    """A fresh copy of the deployed template; its DSN."""
    name = f"chaos_{uuid.uuid4().hex[:12]}"
    admin = conninfo.make_conninfo(cluster.dsn, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("create database {} template {}").format(
            sql.Identifier(name), sql.Identifier(TEMPLATE)))
    return conninfo.make_conninfo(cluster.dsn, dbname=name)


@pytest.fixture
def dsn(chaos_cluster):
    """The warehouse the scenario breaks."""
    return new_database(chaos_cluster)


@pytest.fixture
def clean_dsn(chaos_cluster):
    """A second warehouse for the clean run of the same inputs."""
    return new_database(chaos_cluster)


def session(dsn: str, **timeouts) -> psycopg.Connection:
    """An autocommit session with the bundle's session settings (ytempire.warehouse)."""
    return psycopg.connect(dsn, autocommit=True, options=warehouse.session_options(**timeouts))


def tables(conn: psycopg.Connection, names: list[str] | None = None) -> dict[str, list[str]]:
    """Every analytics table (or `names`) as sorted rows, audit columns left out."""
    columns: dict[str, list[str]] = {}
    for table, column, default in conn.execute(
            "select c.table_name, c.column_name, coalesce(c.column_default, '') "
            "from information_schema.columns as c join information_schema.tables as t "
            "using (table_schema, table_name) where c.table_schema = 'analytics' "
            "and (t.table_type = 'BASE TABLE' or c.table_name = any(%s)) "
            "and c.table_name not like 'fact_video_performance_%%' "
            "order by c.table_name, c.ordinal_position", (names or [],)):
        if column not in _AUDIT_COLUMNS and not any(default.startswith(a)
                                                    for a in _AUDIT_DEFAULTS):
            columns.setdefault(table, []).append(column)
    wanted = names or [t for t in columns if t not in ("query_performance_log",)]
    return {t: sorted(repr(r) for r in conn.execute(sql.SQL("select {} from {}").format(
        sql.SQL(", ").join(map(sql.Identifier, columns[t])), sql.Identifier("analytics", t))))
        for t in wanted}


def in_thread(work) -> tuple[threading.Thread, dict]:
    """Runs `work()` in a thread; what it raised ends up in outcome["error"]."""
    outcome: dict = {}

    def run():
        try:
            work()
        except BaseException as err:  # noqa: BLE001 (the test judges it)
            outcome["error"] = err
    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome

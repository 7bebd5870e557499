"""Fixtures: a real PostgreSQL (embedded throwaway cluster, or WAREHOUSE_DSN),
a fresh deployed warehouse database per test, the TimescaleDB stand-in, and an
Airflow home for DAG runs. The database is never mocked."""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="ytempire-airflow-"))
# Before anything imports airflow: a private home, this repo's DAGs, no retry waits.
os.environ.setdefault("AIRFLOW_HOME", str(_AIRFLOW_HOME))
os.environ.setdefault("AIRFLOW__CORE__DAGS_FOLDER", str(REPO / "dags"))
os.environ.setdefault("AIRFLOW__CORE__PLUGINS_FOLDER", str(REPO / "plugins"))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ.setdefault("AIRFLOW__CORE__UNIT_TEST_MODE", "False")
os.environ.setdefault("YTEMPIRE_TASK_RETRIES", "0")
os.environ.setdefault("YTEMPIRE_TASK_RETRY_DELAY_SECONDS", "0")
os.environ.setdefault("YTEMPIRE_CLIENT_RETRIES", "3")

import psycopg  # noqa: E402
import pytest  # noqa: E402
from psycopg import conninfo, sql  # noqa: E402

from ytempire import migrations  # noqa: E402

TEMPLATE_DB = "ytempire_template"


def airflow_uri(dsn: str) -> str:
    """An Airflow connection URI for a libpq DSN."""
    from urllib.parse import quote

    p = conninfo.conninfo_to_dict(dsn)
    auth = quote(p.get("user", "postgres"), safe="")
    if p.get("password"):
        auth += ":" + quote(p["password"], safe="")
    return f"postgresql://{auth}@{p.get('host', '127.0.0.1')}:{p.get('port', 5432)}/{p['dbname']}"


@pytest.fixture(scope="session")
def pg_admin_dsn():
    """DSN of a server where tests may create databases."""
    external = os.environ.get("WAREHOUSE_DSN")
    if external:
        yield external
        return
    from ytempire_dev.local_pg import local_cluster

    with local_cluster() as cluster:
        yield conninfo.make_conninfo(cluster.dsn, dbname="postgres")


def _admin(dsn: str) -> psycopg.Connection:
    return psycopg.connect(dsn, autocommit=True)


@pytest.fixture(scope="session")
def template_dsn(pg_admin_dsn):
    """A database with every migration applied, copied for each test."""
    with _admin(pg_admin_dsn) as admin:
        admin.execute(sql.SQL("drop database if exists {} with (force)").format(
            sql.Identifier(TEMPLATE_DB)))
        admin.execute(sql.SQL("create database {}").format(sql.Identifier(TEMPLATE_DB)))
    dsn = conninfo.make_conninfo(pg_admin_dsn, dbname=TEMPLATE_DB)
    with psycopg.connect(dsn) as conn:
        migrations.deploy(conn)
    yield dsn
    with _admin(pg_admin_dsn) as admin:
        admin.execute(sql.SQL("drop database if exists {} with (force)").format(
            sql.Identifier(TEMPLATE_DB)))


@pytest.fixture
def empty_database_dsn(pg_admin_dsn):
    """A brand-new empty database (for deploy tests)."""
    name = f"ytempire_test_{uuid.uuid4().hex[:12]}"
    with _admin(pg_admin_dsn) as admin:
        admin.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    yield conninfo.make_conninfo(pg_admin_dsn, dbname=name)
    with _admin(pg_admin_dsn) as admin:
        admin.execute(sql.SQL("drop database {} with (force)").format(sql.Identifier(name)))


@pytest.fixture
def warehouse_dsn(pg_admin_dsn, template_dsn):
    """A fresh, deployed warehouse database (plain path) for one test."""
    name = f"ytempire_test_{uuid.uuid4().hex[:12]}"
    with _admin(pg_admin_dsn) as admin:
        admin.execute(sql.SQL("create database {} template {}").format(
            sql.Identifier(name), sql.Identifier(TEMPLATE_DB)))
    yield conninfo.make_conninfo(pg_admin_dsn, dbname=name)
    with _admin(pg_admin_dsn) as admin:
        admin.execute(sql.SQL("drop database {} with (force)").format(sql.Identifier(name)))


@pytest.fixture
def warehouse(warehouse_dsn):
    """An autocommit connection to a fresh plain-path warehouse."""
    with psycopg.connect(warehouse_dsn, autocommit=True) as conn:
        yield conn


# --- TimescaleDB (PGlite stand-in): one server per session, emptied between tests.

_KEEP_ROWS = {"schema_migrations", "step_budgets"}


@pytest.fixture(scope="session")
def timescale_dsn():
    from ytempire_dev.testing.timescale import timescale_server

    with timescale_server() as dsn:
        with psycopg.connect(dsn) as conn:
            result = migrations.deploy(conn)
        assert result.flavor == "timescale", "the TimescaleDB stand-in deployed the plain path"
        yield dsn


def _empty_timescale_warehouse(conn: psycopg.Connection) -> None:
    tables = conn.execute(
        "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace "
        "where n.nspname = 'analytics' and c.relkind in ('r', 'p') order by 1"
    ).fetchall()
    names = [sql.Identifier("analytics", t) for (t,) in tables if t not in _KEEP_ROWS]
    conn.execute(sql.SQL("truncate {} restart identity cascade").format(sql.SQL(", ").join(names)))
    for cagg in ("hourly_channel_metrics", "mv_recent_performance", "mv_historical_performance"):
        conn.execute("call public.refresh_continuous_aggregate(%s::regclass, null, null)",
                     (f"analytics.{cagg}",))


@pytest.fixture
def timescale_warehouse(timescale_dsn, monkeypatch):
    # The stand-in now and then hangs on pipelined messages: executemany goes row by row.
    monkeypatch.setattr(psycopg.Pipeline, "is_supported", classmethod(lambda cls: False))
    with psycopg.connect(timescale_dsn, autocommit=True) as conn:
        _empty_timescale_warehouse(conn)
        yield conn


@pytest.fixture(params=["plain", pytest.param("timescale", marks=pytest.mark.timescale)])
def any_warehouse(request):
    """The same test on both database paths."""
    fixture = "warehouse" if request.param == "plain" else "timescale_warehouse"
    return request.getfixturevalue(fixture)


# --- Airflow: a migrated metadata DB, and the warehouse connection pointing at a test DB.

@pytest.fixture(scope="session")
def airflow_db():
    from airflow.utils import db

    db.initdb()
    return os.environ["AIRFLOW_HOME"]


@pytest.fixture
def warehouse_connection(warehouse_dsn, monkeypatch):
    """Points the `ytempire_warehouse` Airflow connection at this test's database."""
    monkeypatch.setenv("AIRFLOW_CONN_YTEMPIRE_WAREHOUSE", airflow_uri(warehouse_dsn))
    return warehouse_dsn

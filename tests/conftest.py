"""Fixtures: a real PostgreSQL per database path (embedded throwaway clusters: plain,
and TimescaleDB preloaded), a fresh deployed warehouse database per test, and an
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
from ytempire_dev.devstack import lineage_env  # noqa: E402 (no airflow; reads the above)

# Lineage: every task's OpenLineage events, as the file transport writes them.
OPENLINEAGE_EVENTS = _AIRFLOW_HOME / "openlineage-events.jsonl"
for _name, _value in lineage_env(OPENLINEAGE_EVENTS).items():
    os.environ.setdefault(_name, _value)
# in a thread, not a fork of the whole test process per task event (dags test runs tasks
# in this process)
os.environ.setdefault("AIRFLOW__OPENLINEAGE__EXECUTE_IN_THREAD", "True")

import psycopg  # noqa: E402
import pytest  # noqa: E402
from psycopg import conninfo, sql  # noqa: E402

from ytempire import schema_deploy  # noqa: E402

TEMPLATE_DB = "ytempire_template"


def airflow_uri(dsn: str) -> str:
    """An Airflow connection URI for a libpq DSN."""
    from urllib.parse import quote

    p = conninfo.conninfo_to_dict(dsn)
    auth = quote(p.get("user", "postgres"), safe="")
    if p.get("password"):
        auth += ":" + quote(p["password"], safe="")
    return f"postgresql://{auth}@{p.get('host', '127.0.0.1')}:{p.get('port', 5432)}/{p['dbname']}"


PATHS = ("plain", "timescale")
# Where a test runs on one path only, it says so with @pytest.mark.only_path(...) and
# gives the reason in its docstring.


def pytest_generate_tests(metafunc):
    """Every test that touches a warehouse runs once per database path."""
    if "db_path" in metafunc.fixturenames:
        marker = metafunc.definition.get_closest_marker("only_path")
        paths = marker.args if marker else PATHS
        metafunc.parametrize("db_path", paths, indirect=True, scope="session")


@pytest.fixture(scope="session")
def db_path(request):
    """"plain" or "timescale": the database path this test runs on."""
    return request.param


@pytest.fixture(scope="session")
def pg_admin_dsn(db_path):
    """DSN of a server of this path where tests may create databases: an embedded
    cluster of the path's flavour, or WAREHOUSE_DSN (plain) / TIMESCALE_WAREHOUSE_DSN."""
    external = os.environ.get("WAREHOUSE_DSN" if db_path == "plain" else "TIMESCALE_WAREHOUSE_DSN")
    if external:
        yield external
        return
    from ytempire_dev.local_pg import local_cluster

    # No background scheduler: tests run TimescaleDB's jobs themselves (CALL run_job),
    # and a scheduler connected to the template database would block copying it.
    settings = {"timescaledb.max_background_workers": "0"} if db_path == "timescale" else {}
    with local_cluster(flavor=db_path, settings=settings) as cluster:
        yield conninfo.make_conninfo(cluster.dsn, dbname="postgres")


def _admin(dsn: str) -> psycopg.Connection:
    return psycopg.connect(dsn, autocommit=True)


@pytest.fixture(scope="session")
def template_dsn(pg_admin_dsn, db_path):
    """A database with every migration applied, copied for each test."""
    with _admin(pg_admin_dsn) as admin:
        admin.execute(sql.SQL("drop database if exists {} with (force)").format(
            sql.Identifier(TEMPLATE_DB)))
        admin.execute(sql.SQL("create database {}").format(sql.Identifier(TEMPLATE_DB)))
    dsn = conninfo.make_conninfo(pg_admin_dsn, dbname=TEMPLATE_DB)
    with psycopg.connect(dsn) as conn:
        result = schema_deploy.deploy(conn)
    assert result.flavor == db_path, f"a {db_path}-path server deployed the {result.flavor} path"
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
    """A fresh, deployed warehouse database of this test's path."""
    name = f"ytempire_test_{uuid.uuid4().hex[:12]}"
    with _admin(pg_admin_dsn) as admin:
        admin.execute(sql.SQL("create database {} template {}").format(
            sql.Identifier(name), sql.Identifier(TEMPLATE_DB)))
    yield conninfo.make_conninfo(pg_admin_dsn, dbname=name)
    with _admin(pg_admin_dsn) as admin:
        admin.execute(sql.SQL("drop database {} with (force)").format(sql.Identifier(name)))


@pytest.fixture
def warehouse(warehouse_dsn):
    """An autocommit connection to a fresh warehouse of this test's path."""
    with psycopg.connect(warehouse_dsn, autocommit=True) as conn:
        yield conn


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

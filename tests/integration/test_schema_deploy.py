"""The schema deploy's session: a bounded wait for the deploy lock, and the owner's
connection (issue 18)."""

import logging
import threading
import time
from contextlib import contextmanager

import psycopg
import pytest
from conftest import airflow_uri
from psycopg import conninfo, sql

from ytempire import schema_deploy, settings, warehouse
from ytempire.migrations import MigrationError
from ytempire.warehouse import sql_file

LOGIN_ROLE = "ytempire_test_loader_login"


def test_a_deploy_gives_up_waiting_for_the_lock_and_names_its_holder(warehouse_dsn, monkeypatch):
    """The poll for the deploy lock used to wait for ever behind a stuck deploy."""
    monkeypatch.setattr(settings, "DEPLOY_LOCK_WAIT_SECONDS", 1.0)
    outcome = {}

    def deploy():
        try:
            with psycopg.connect(warehouse_dsn) as conn:
                outcome["result"] = schema_deploy.deploy(conn)
        except Exception as err:  # asserted below
            outcome["error"] = err

    with psycopg.connect(warehouse_dsn, autocommit=True) as holder:
        holder.execute("set application_name = 'stuck deploy'")
        assert holder.execute(sql_file("deploy/try_deploy_lock.sql"),
                              {"lock_key": schema_deploy.LOCK_KEY}).fetchone() == (True,)
        started = time.monotonic()
        waiting = threading.Thread(target=deploy, daemon=True)
        waiting.start()
        waiting.join(timeout=30)
        assert not waiting.is_alive(), "the deploy was still waiting for the lock after 30 s"
        waited = time.monotonic() - started
        holder_pid = holder.info.backend_pid
    error = outcome.get("error")
    assert isinstance(error, schema_deploy.DeployLockTimeout), outcome
    assert not isinstance(error, MigrationError)  # the DAG retries it: the holder may finish
    assert f"pid {holder_pid} (stuck deploy, idle," in str(error)
    assert "YTEMPIRE_DEPLOY_LOCK_WAIT_SECONDS" in str(error)
    assert 1 <= waited < 10


@pytest.fixture
def login_role(pg_admin_dsn):
    """A login role in ytempire_loader (cluster-wide, dropped afterwards): what the
    `ytempire_warehouse` connection of the other DAGs uses."""
    with psycopg.connect(pg_admin_dsn, autocommit=True) as admin:
        admin.execute("do $$ begin if not exists (select from pg_roles where rolname = 'ytempire_loader')"
                      " then create role ytempire_loader nologin; end if; end $$")
        admin.execute(sql.SQL("create role {} login in role ytempire_loader").format(
            sql.Identifier(LOGIN_ROLE)))
    yield LOGIN_ROLE
    with psycopg.connect(pg_admin_dsn, autocommit=True) as admin:
        admin.execute(sql.SQL("drop role {}").format(sql.Identifier(LOGIN_ROLE)))


def test_the_deploy_connects_as_the_owner_where_that_connection_exists(
        warehouse_dsn, login_role, monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_YTEMPIRE_WAREHOUSE",
                       airflow_uri(conninfo.make_conninfo(warehouse_dsn, user=login_role)))
    monkeypatch.setenv("AIRFLOW_CONN_YTEMPIRE_WAREHOUSE_OWNER", airflow_uri(warehouse_dsn))
    owner = conninfo.conninfo_to_dict(warehouse_dsn)["user"]
    with warnings_of(warehouse.log) as warned, warehouse.connect_owner() as conn:
        assert conn.execute("select current_user").fetchone() == (owner,)
    assert warned == []

    monkeypatch.delenv("AIRFLOW_CONN_YTEMPIRE_WAREHOUSE_OWNER")
    with warnings_of(warehouse.log) as warned, warehouse.connect_owner() as conn:
        assert conn.execute("select current_user").fetchone() == (login_role,)
    assert [m for m in warned if m.startswith(
        "connection ytempire_warehouse_owner is not defined: deploying through "
        "ytempire_warehouse")] == warned != []


@contextmanager
def warnings_of(logger: logging.Logger):
    """The warnings a logger emits meanwhile (whatever Airflow made of the root logger)."""
    messages: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: messages.append(record.getMessage())
    logger.addHandler(handler)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)

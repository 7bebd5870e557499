"""Connections to the warehouse, SQL files from include/sql, and COPY."""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Iterable, Sequence
from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

import psycopg

from ytempire import settings

if TYPE_CHECKING:
    from airflow.providers.postgres.hooks.postgres import PostgresHook

log = logging.getLogger(__name__)


@cache
def sql_file(relative_path: str) -> str:
    """The text of include/sql/<relative_path>; SQL never lives in Python strings."""
    return (settings.SQL_DIR / relative_path).read_text()


def fetch_one(conn: psycopg.Connection, relative_path: str,
              params: dict[str, Any] | None = None) -> tuple[Any, ...]:
    """The one row a statement of include/sql returns (an error if it returns none)."""
    row = conn.execute(sql_file(relative_path), params).fetchone()
    if row is None:
        raise RuntimeError(f"{relative_path} returned no row")
    return row


def copy_rows(conn: psycopg.Connection, copy_file: str, rows: Iterable[Sequence[Any]]) -> int:
    """Stream `rows` through the `copy ... from stdin` statement of `copy_file`; rows sent."""
    sent = 0
    with conn.cursor() as cur, cur.copy(sql_file(copy_file)) as copy:
        for row in rows:
            copy.write_row(row)
            sent += 1
    return sent


def session_settings(statement_timeout: timedelta | None = None,
                     lock_timeout: timedelta | None = None) -> dict[str, str]:
    """The server settings every warehouse session starts with: its timeouts (by default
    the settings'), and server-side keepalives plus a check of the client while a
    statement runs, so that the backend of a task that was killed or lost ends and
    releases its locks."""
    return {
        "lock_timeout": _ms(lock_timeout or settings.LOCK_TIMEOUT),
        "statement_timeout": _ms(statement_timeout or settings.STATEMENT_TIMEOUT),
        "idle_in_transaction_session_timeout": _ms(settings.IDLE_IN_TRANSACTION_TIMEOUT),
        "tcp_keepalives_idle": str(settings.KEEPALIVE_IDLE_SECONDS),
        "tcp_keepalives_interval": str(settings.KEEPALIVE_INTERVAL_SECONDS),
        "tcp_keepalives_count": str(settings.KEEPALIVE_COUNT),
        "client_connection_check_interval": f"{settings.KEEPALIVE_INTERVAL_SECONDS}s",
    }


def session_options(statement_timeout: timedelta | None = None,
                    lock_timeout: timedelta | None = None) -> str:
    """`session_settings` as libpq's `options` (sent at connection start)."""
    return " ".join(f"-c {name}={value}" for name, value in
                    session_settings(statement_timeout, lock_timeout).items())


def _ms(value: timedelta) -> str:
    return f"{round(value.total_seconds() * 1000)}ms"


def set_lock_timeout(conn: psycopg.Connection, lock_timeout: timedelta) -> None:
    """This transaction's lock wait (a step that takes a lock everything queues behind)."""
    conn.execute(sql_file("partitions/set_lock_timeout.sql"), {"lock_timeout": _ms(lock_timeout)})


# libpq's keepalives, the client's end: a task finds a vanished server too.
CLIENT_KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": settings.KEEPALIVE_IDLE_SECONDS,
    "keepalives_interval": settings.KEEPALIVE_INTERVAL_SECONDS,
    "keepalives_count": settings.KEEPALIVE_COUNT,
}


def hook(conn_id: str = settings.WAREHOUSE_CONN_ID, *,
         statement_timeout: timedelta | None = None,
         lock_timeout: timedelta | None = None) -> PostgresHook:
    """The postgres hook of the Airflow connection `conn_id` whose sessions start with
    `session_settings` and client keepalives (keepalive extras of the connection win)."""
    from airflow.providers.postgres.hooks.postgres import PostgresHook
    from airflow.sdk import BaseHook

    connection = copy.copy(BaseHook.get_connection(conn_id))
    connection.extra = json.dumps(CLIENT_KEEPALIVES | connection.extra_dejson)
    return PostgresHook(postgres_conn_id=conn_id, connection=connection,
                        options=session_options(statement_timeout, lock_timeout))


def connect(conn_id: str = settings.WAREHOUSE_CONN_ID, *,
            statement_timeout: timedelta | None = None,
            lock_timeout: timedelta | None = None) -> psycopg.Connection:
    """A psycopg 3 connection through `hook`."""
    conn = hook(conn_id, statement_timeout=statement_timeout,
                lock_timeout=lock_timeout).get_conn()
    if not isinstance(conn, psycopg.Connection):
        raise RuntimeError("the postgres provider did not return a psycopg 3 connection")
    return conn


def connect_owner() -> psycopg.Connection:
    """The owner role's connection for the schema deploy, `ytempire_warehouse_owner`, with
    the deploy's statement budget and the DDL lock wait; where that connection is not
    defined, `ytempire_warehouse`, with a warning."""
    from airflow.sdk import BaseHook
    from airflow.sdk.exceptions import AirflowNotFoundException

    conn_id = settings.WAREHOUSE_OWNER_CONN_ID
    try:
        BaseHook.get_connection(conn_id)
    except AirflowNotFoundException:
        log.warning("connection %s is not defined: deploying through %s, whose role must then "
                    "own the analytics schema", conn_id, settings.WAREHOUSE_CONN_ID)
        conn_id = settings.WAREHOUSE_CONN_ID
    return connect(conn_id, statement_timeout=settings.DEPLOY_STATEMENT_TIMEOUT,
                   lock_timeout=settings.DDL_LOCK_TIMEOUT)


def deployed_objects(conn: psycopg.Connection, deployed_flavor: str) -> list[list[Any]]:
    """What a deploy left in the warehouse: (kind, count, names) per kind of object."""
    rows = [list(row) for row in conn.execute(sql_file("deploy/summary.sql"))]
    log.info("warehouse deployed on the %s path", deployed_flavor)
    for kind, count, names in rows:
        log.info("%-18s %3d  %s", kind, count, names or "")
    return rows


def recorded_flavor(conn: psycopg.Connection) -> str | None:
    """The path the first deploy recorded ('plain' or 'timescale'); None before it."""
    flavor: str | None = fetch_one(conn, "deploy/recorded_flavor.sql")[0]
    return flavor


def flavor(conn: psycopg.Connection) -> str:
    """The path the warehouse was deployed with: 'plain' or 'timescale'."""
    recorded = recorded_flavor(conn)
    if recorded is None:
        raise RuntimeError("the warehouse has no schema yet: run analytics_schema_deploy first")
    return recorded

"""Connections to the warehouse and SQL files from include/sql."""

from __future__ import annotations

from functools import cache

import psycopg

from ytempire import settings


@cache
def sql_file(relative_path: str) -> str:
    """The text of include/sql/<relative_path>; SQL never lives in Python strings."""
    return (settings.SQL_DIR / relative_path).read_text()


def connect(conn_id: str = settings.WAREHOUSE_CONN_ID) -> psycopg.Connection:
    """A psycopg 3 connection through the Airflow connection `conn_id`."""
    from airflow.providers.postgres.hooks.postgres import PostgresHook

    conn = PostgresHook(postgres_conn_id=conn_id).get_conn()
    if not isinstance(conn, psycopg.Connection):
        raise RuntimeError("the postgres provider did not return a psycopg 3 connection")
    return conn


def recorded_flavor(conn: psycopg.Connection) -> str | None:
    """The path the first deploy recorded ('plain' or 'timescale'); None before it."""
    return conn.execute(sql_file("deploy/recorded_flavor.sql")).fetchone()[0]


def flavor(conn: psycopg.Connection) -> str:
    """The path the warehouse was deployed with: 'plain' or 'timescale'."""
    recorded = recorded_flavor(conn)
    if recorded is None:
        raise RuntimeError("the warehouse has no schema yet: run analytics_schema_deploy first")
    return recorded

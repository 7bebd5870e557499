"""The three roles: the owner (the schema deploy), the loader (every other DAG: writes
data, no DDL), the reader (Grafana, the report: reads only). Login roles of the loader
and reader groups connect here as the compose stack's and the local stack's do, on both
paths: the loader does every maintenance step its DAGs do (partitions, refreshes,
rebuilds, compression, snapshot retention, ANALYZE) and no DDL; the reader only reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from psycopg import conninfo, errors, sql
from test_youtube_revenue_spread import given_channels, hourly

from ytempire import partitions, rollups, settings

LOGINS = {"ytempire_test_loader": "ytempire_loader", "ytempire_test_reader": "ytempire_reader"}


@pytest.fixture
def as_role(pg_admin_dsn, warehouse_dsn):
    """connect(group) -> an autocommit connection as a login role of that group."""
    with psycopg.connect(pg_admin_dsn, autocommit=True) as admin:
        for login, group in LOGINS.items():
            if not admin.execute("select 1 from pg_roles where rolname = %s", (login,)).fetchone():
                admin.execute(sql.SQL("create role {} login in role {}").format(
                    sql.Identifier(login), sql.Identifier(group)))
    by_group = {group: login for login, group in LOGINS.items()}
    opened = []

    def connect(group: str) -> psycopg.Connection:
        conn = psycopg.connect(conninfo.make_conninfo(warehouse_dsn, user=by_group[group]),
                               autocommit=True)
        opened.append(conn)
        return conn

    yield connect
    for conn in opened:
        conn.close()


DDL = [
    "create table analytics.loader_made (id integer)",
    "alter table analytics.fact_video_performance add column loader_made integer",
    "alter table analytics.cost_tracking drop constraint cost_tracking_external_ref_key",
    "drop table analytics.partner_revenue",
    "truncate analytics.revenue_attribution",
    "create index loader_made on analytics.dim_video (title)",
    "create or replace function analytics.warehouse_tz() returns text language sql as "
    "$$ select 'UTC' $$",
    "create schema loader_made",
]


@pytest.mark.parametrize("statement", DDL, ids=lambda s: " ".join(s.split()[:3]))
def test_the_loader_cannot_run_ddl(as_role, statement):
    with pytest.raises(errors.InsufficientPrivilege):
        as_role("ytempire_loader").execute(statement)


WRITES = [
    "insert into analytics.dim_channel (channel_id, channel_name) values ('UCr', 'r')",
    "update analytics.cost_tracking set cost_cents = 0",
    "delete from analytics.fact_video_performance",
    "truncate analytics.video_stats_snapshot",
    "create table analytics.reader_made (id integer)",
]


@pytest.mark.parametrize("statement", WRITES, ids=lambda s: " ".join(s.split()[:3]))
def test_the_reader_cannot_write(as_role, statement):
    with pytest.raises(errors.InsufficientPrivilege):
        as_role("ytempire_reader").execute(statement)


def test_the_reader_reads_every_rollup_and_table(as_role, warehouse):
    given_channels(warehouse)
    reader = as_role("ytempire_reader")
    names = [r[0] for r in warehouse.execute(
        "select c.relname from pg_class as c join pg_namespace as n on c.relnamespace = n.oid "
        "where n.nspname = 'analytics' and c.relkind in ('r', 'p', 'v', 'm') order by 1")]
    for name in names:
        reader.execute(sql.SQL("select count(*) from {}").format(sql.Identifier("analytics", name)))
    assert reader.execute("select count(*) from analytics.dim_channel").fetchone()[0] > 0


def test_the_loader_does_every_step_of_its_dags(as_role, warehouse, db_path):
    """Loads, partitions ahead (plain: DDL through the owner's function), every rollup
    refreshed and rebuilt (TimescaleDB: continuous aggregates the loader owns),
    compression of an old chunk (TimescaleDB: through the owner's function), snapshot
    retention and ANALYZE."""
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    old = now - timedelta(days=settings.COMPRESS_AFTER_DAYS + 10)
    loader = as_role("ytempire_loader")
    created = partitions.create_fact_partitions(loader, old, now + timedelta(days=100))
    assert (created != []) == (db_path == "plain")
    hourly(given_channels(loader), "vidA", [(old, 5), (now - timedelta(hours=2), 6)])
    for rollup in rollups.ALL_ROLLUPS:
        rollups.refresh(loader, rollup, (None, now))
        rollups.rebuild(loader, rollup)
    assert loader.execute("select sum(total_views) from analytics.hourly_channel_metrics"
                          ).fetchone() == (11,)
    assert rollups.run_compression_policy(loader) == (1 if db_path == "timescale" else None)
    rollups.prune_snapshots(loader, now)
    rollups.analyze_changed(loader)  # as the owner (security definer): no error


def test_the_report_connects_as_the_local_stacks_reader_where_it_exists(pg_admin_dsn,
                                                                      warehouse_dsn):
    from ytempire_dev import devstack

    reader = devstack.LOCAL_ROLES["GRAFANA_WAREHOUSE_USER"]
    with psycopg.connect(pg_admin_dsn, autocommit=True) as admin:
        existed = admin.execute("select 1 from pg_roles where rolname = %s", (reader,)).fetchone()
        if not existed:  # never drops a role it did not make (WAREHOUSE_DSN may be a stack's)
            assert devstack.as_reader(warehouse_dsn) == warehouse_dsn  # a cluster without it
            admin.execute(sql.SQL("create role {} login in role ytempire_reader").format(
                sql.Identifier(reader)))
    try:
        with psycopg.connect(devstack.as_reader(warehouse_dsn), autocommit=True) as conn:
            assert conn.execute("select current_user").fetchone()[0] == reader
            assert conn.execute("select count(*) from analytics.dim_channel").fetchone()
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute("delete from analytics.dim_channel")
    finally:
        if not existed:
            with psycopg.connect(pg_admin_dsn, autocommit=True) as admin:
                admin.execute(sql.SQL("drop role {}").format(sql.Identifier(reader)))

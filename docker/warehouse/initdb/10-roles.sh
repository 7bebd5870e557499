#!/usr/bin/env bash
# The warehouse's three roles (docs/reliability.md, "Roles"), made by the superuser once:
# by the postgres image when the data volume is first initialised
# (/docker-entrypoint-initdb.d), and by `scripts/run` on a new local cluster.
#   owner  (WAREHOUSE_OWNER_USER)    the schema deploy only (connection ytempire_warehouse_owner)
#   loader (ytempire_loader, login)  every other DAG (connection ytempire_warehouse): data, no DDL
#   reader (GRAFANA_WAREHOUSE_USER)  Grafana and the report, a member of ytempire_reader
# The superuser is never a DAG's connection. It creates the extensions, which only it may.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v db="$POSTGRES_DB" \
    -v owner="$WAREHOUSE_OWNER_USER" -v owner_password="$WAREHOUSE_OWNER_PASSWORD" \
    -v loader_password="$WAREHOUSE_LOADER_PASSWORD" \
    -v reader="$GRAFANA_WAREHOUSE_USER" -v reader_password="$GRAFANA_WAREHOUSE_PASSWORD" <<'SQL'
create role :"owner" login password :'owner_password';
grant create on database :"db" to :"owner";
-- The loader may log in: TimescaleDB runs the policies of the continuous aggregates
-- it owns as it (migration 0111).
create role ytempire_loader login password :'loader_password';
create role ytempire_reader nologin;
grant ytempire_loader, ytempire_reader to :"owner" with admin option;
-- The slow-statements report reads every role's statements in pg_stat_statements.
grant pg_read_all_stats to ytempire_loader;
create role :"reader" login password :'reader_password' in role ytempire_reader;
alter role :"reader" set default_transaction_read_only = on;
alter role :"reader" set statement_timeout = '30s';
select current_setting('shared_preload_libraries') ~ 'timescaledb' as timescaledb \gset
\if :timescaledb
create extension if not exists timescaledb with schema public;
-- Migration 0111 hands the continuous aggregates to the loader, whose materialization
-- tables live in this schema: the owner lends the loader CREATE there for the handover.
grant create on schema _timescaledb_internal to :"owner" with grant option;
\endif
create extension if not exists pg_stat_statements with schema public;
SQL

#!/usr/bin/env bash
# Runs once, when the warehouse's data volume is first initialised (the postgres image's
# /docker-entrypoint-initdb.d): the login role Grafana uses. It is a member of
# ytempire_reader, which the schema deploy (migrations 0100, 0106) grants read access to
# every table and view in `analytics`; created here if the deploy has not run yet.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v login="$GRAFANA_WAREHOUSE_USER" -v password="$GRAFANA_WAREHOUSE_PASSWORD" <<'SQL'
select not exists (select from pg_roles where rolname = 'ytempire_reader') as missing \gset
\if :missing
create role ytempire_reader nologin;
\endif
create role :"login" login password :'password' in role ytempire_reader;
alter role :"login" set default_transaction_read_only = on;
alter role :"login" set statement_timeout = '30s';
SQL

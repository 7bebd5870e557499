create schema if not exists analytics;

-- Versioned migrations (ytempire.migrations), one row each. baseline: recorded without
-- running, when a warehouse of the retired history moved over.
create table if not exists analytics.schema_migrations (
    version integer primary key,
    name text not null,
    flavor text not null check (flavor in ('plain', 'timescale')),
    checksum text not null,
    applied_at timestamptz not null default now(),
    duration_ms numeric(12, 1) not null
);

alter table analytics.schema_migrations
add column if not exists baseline boolean not null default false;

-- Repeatable files (ytempire.repeatables), one row per application.
create table if not exists analytics.schema_repeatables (
    id bigserial primary key,
    name text not null,
    flavor text not null check (flavor in ('plain', 'timescale')),
    checksum text not null,
    reason text not null,
    applied_at timestamptz not null default clock_timestamp(),
    duration_ms numeric(12, 1) not null
);

-- Settings the warehouse derives objects from (WAREHOUSE_TZ, ...): stored by the
-- deploy in the transaction that applies them (ytempire.warehouse_settings), read by
-- functions and migrations, never baked into migration text.
create table if not exists analytics.warehouse_settings (
    name text primary key,
    value text not null,
    updated_at timestamptz not null default now()
);

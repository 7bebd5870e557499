create schema if not exists analytics;

create table if not exists analytics.schema_migrations (
    version integer primary key,
    name text not null,
    flavor text not null check (flavor in ('plain', 'timescale')),
    checksum text not null,
    applied_at timestamptz not null default now(),
    duration_ms numeric(12, 1) not null
);

-- Settings the warehouse derives objects from (WAREHOUSE_TZ, ...): stored by the
-- deploy's settings step, read by functions and migrations, never baked into
-- migration text.
create table if not exists analytics.warehouse_settings (
    name text primary key,
    value text not null,
    updated_at timestamptz not null default now()
);

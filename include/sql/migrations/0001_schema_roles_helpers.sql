-- Roles are cluster-wide: create them only when missing.
do $$
begin
    if not exists (select from pg_roles where rolname = 'ytempire_loader') then
        create role ytempire_loader nologin;
    end if;
    if not exists (select from pg_roles where rolname = 'ytempire_reader') then
        create role ytempire_reader nologin;
    end if;
end
$$;

grant usage on schema analytics to ytempire_loader, ytempire_reader;
alter default privileges in schema analytics
grant select, insert, update, delete on tables to ytempire_loader;
alter default privileges in schema analytics
grant usage, select on sequences to ytempire_loader;
alter default privileges in schema analytics
grant select on tables to ytempire_reader;

-- The warehouse time zone (WAREHOUSE_TZ), as the deploy's settings step stored
-- it: stable, not immutable, because a re-deploy may change it.
create or replace function analytics.warehouse_tz()
returns text
language sql stable parallel safe
as $$
    select s.value from analytics.warehouse_settings as s where s.name = 'warehouse_tz'
$$;

create or replace function analytics.warehouse_day(ts timestamptz)
returns date
language sql stable parallel safe
as $$ select (ts at time zone analytics.warehouse_tz())::date $$;

create or replace function analytics.warehouse_day_start(d date)
returns timestamptz
language sql stable parallel safe
as $$ select d::timestamp at time zone analytics.warehouse_tz() $$;

create or replace function analytics.set_updated_at()
returns trigger
language plpgsql
as $$
begin
    new.updated_at := now();
    return new;
end
$$;

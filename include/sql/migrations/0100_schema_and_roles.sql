-- The warehouse's tables, columns, indexes and data changes are versioned migrations
-- (this folder: applied once, immutable). Functions, views and triggers are
-- repeatable files under include/sql/warehouse, re-applied by the deploy when they
-- change. Versions below 0100 belong to the history that was retired when the two
-- were separated (docs/operations.md, "Moving an existing warehouse over").

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

-- The warehouse time zone (WAREHOUSE_TZ), as the deploy's settings step stored
-- it: stable, not immutable, because a re-deploy may change it.
-- The warehouse time zone (WAREHOUSE_TZ), as the deploy's settings step stored
-- it: stable, not immutable, because a re-deploy may change it.
create or replace function analytics.warehouse_tz()
returns text
language sql stable parallel safe
as $$
    select s.value from analytics.warehouse_settings as s where s.name = 'warehouse_tz'
$$;

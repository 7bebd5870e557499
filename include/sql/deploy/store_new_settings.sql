-- Stores the settings this warehouse has no value for yet (its first deploy, or a
-- setting added since); stored values are changed by store_settings.sql only.
insert into analytics.warehouse_settings (name, value)
select
    s.name,
    s.value
from unnest(%(names)s::text[], %(values)s::text[]) as s (name, value)
on conflict (name) do nothing

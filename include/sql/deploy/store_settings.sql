-- Stores the deploy's settings; returns each one whose value changed, with the
-- value it had before (null: stored for the first time).
with wanted as (
    select
        s.name,
        s.value
    from unnest(%(names)s::text[], %(values)s::text[]) as s (name, value)
),

previous as (
    select
        w.name,
        w.value
    from analytics.warehouse_settings as w
),

stored as (
    insert into analytics.warehouse_settings as w (name, value)
    select
        wanted.name,
        wanted.value
    from wanted
    on conflict (name) do update
        set value = excluded.value, updated_at = now()
        where w.value <> excluded.value
    returning w.name
)

select
    wanted.name,
    previous.value as previous_value,
    wanted.value
from wanted
left join previous on wanted.name = previous.name
where
    previous.value is distinct from wanted.value
    and wanted.name in (select stored.name from stored)
order by wanted.name

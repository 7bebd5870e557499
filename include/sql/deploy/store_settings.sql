-- Stores the deploy's settings, in the transaction that applies them
-- (apply_settings.sql); returns each one whose value changed, with the value it had.
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
    update analytics.warehouse_settings as w
    set value = wanted.value, updated_at = now()
    from wanted
    where w.name = wanted.name and w.value <> wanted.value
    returning w.name
)

select
    wanted.name,
    previous.value as previous_value,
    wanted.value
from wanted
inner join previous on wanted.name = previous.name
where wanted.name in (select stored.name from stored)
order by wanted.name

-- Monthly fact partitions from the month before the logical date to
-- months_ahead months after it, plus every month with stray rows in the DEFAULT
-- partition (moved into their new partition). A no-op on TimescaleDB.
select
    month,
    created
from analytics.ensure_fact_partitions(%(logical_date)s::date, %(months_ahead)s)

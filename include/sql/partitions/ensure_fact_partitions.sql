-- Monthly fact partitions for [range_start, range_end) and for stray DEFAULT
-- rows (plain path; no rows on TimescaleDB).
select
    p.month,
    p.created
from analytics.ensure_fact_partitions(%(range_start)s, %(range_end)s) as p

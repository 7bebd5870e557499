-- Fact partitions for every hour of the window's YouTube days (plain path; a
-- no-op on TimescaleDB), before the parallel loads.
select
    p.month,
    p.created
from analytics.ensure_fact_partitions_for_days(%(first_day)s::date, %(last_day)s::date) as p

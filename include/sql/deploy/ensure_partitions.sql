-- Monthly fact partitions from the month before the logical date to
-- months_ahead months after it (a no-op on TimescaleDB).
select
    to_char(month_start, 'YYYY-MM') as month,
    analytics.ensure_fact_partition(month_start::date) as created
from generate_series(
    date_trunc('month', %(logical_date)s::date) - interval '1 month',
    date_trunc('month', %(logical_date)s::date) + make_interval(months => %(months_ahead)s),
    interval '1 month'
) as month_start

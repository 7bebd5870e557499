-- Freshness as of the run's logical time (analytics.check_data_freshness): the fact
-- table by its newest hour, YouTube revenue by its newest day; inputs from other
-- systems are reported as INFO.
select
    c.table_name as check_key,
    c.status,
    to_jsonb(c) as details
from analytics.check_data_freshness(%(logical_time)s) as c

-- Queries and pipeline steps of the hour before the run's logical time
-- (analytics.check_slow_queries: the spec's thresholds for queries, the budgets of
-- analytics.step_budgets for steps). Replaces this run's rows of this check.
with replaced as (
    delete from analytics.quality_check_results
    where run_id = %(run_id)s and check_name = %(check_name)s
),

checked as (
    select * from analytics.check_slow_queries(%(logical_time)s)
)

insert into analytics.quality_check_results (
    run_id, logical_time, check_class, check_name, check_key, status, details
)
select
    %(run_id)s::text as run_id,
    %(logical_time)s::timestamptz as logical_time,
    %(check_class)s::text as check_class,
    %(check_name)s::text as check_name,
    coalesce(c.query_name, '(unnamed)') as check_key,
    c.alert_level,
    to_jsonb(c) as details
from checked as c
returning check_key, status

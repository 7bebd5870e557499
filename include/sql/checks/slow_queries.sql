-- Queries and pipeline steps of the hour before the run's logical time
-- (analytics.check_slow_queries: the spec's thresholds for queries, the budgets of
-- analytics.step_budgets for steps).
select
    coalesce(c.query_name, '(unnamed)') as check_key,
    c.alert_level as status,
    to_jsonb(c) as details
from analytics.check_slow_queries(%(logical_time)s) as c

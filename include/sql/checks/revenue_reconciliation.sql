-- Per warehouse day, fact estimated revenue against attributed YouTube revenue
-- (analytics.check_revenue_reconciliation) as of the run's logical time.
select
    c.check_date::text as check_key,
    c.status,
    to_jsonb(c) as details
from analytics.check_revenue_reconciliation(%(logical_time)s) as c

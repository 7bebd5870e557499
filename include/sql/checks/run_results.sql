-- This run's result rows of the given checks with one of the given statuses.
select
    r.check_class,
    r.check_name,
    r.check_key,
    r.status,
    r.details
from analytics.quality_check_results as r
where
    r.run_id = %(run_id)s
    and r.check_name = any(%(check_names)s)
    and r.status = any(%(statuses)s)
order by r.check_class, r.check_name, r.check_key

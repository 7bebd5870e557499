-- The one way a check's result rows are stored: this run's rows of the check are
-- replaced by the given JSON array of {check_key, status, details}.
with replaced as (
    delete from analytics.quality_check_results
    where run_id = %(run_id)s and check_name = %(check_name)s
),

given as (
    select
        e.ordinality,
        e.item ->> 'check_key' as check_key,
        e.item ->> 'status' as status,
        e.item -> 'details' as details
    from jsonb_array_elements(%(rows)s::jsonb) with ordinality as e (item, ordinality)
)

insert into analytics.quality_check_results (
    run_id, logical_time, check_class, check_name, check_key, status, details
)
select
    %(run_id)s::text as run_id,
    %(logical_time)s::timestamptz as logical_time,
    %(check_class)s::text as check_class,
    %(check_name)s::text as check_name,
    g.check_key,
    g.status,
    coalesce(g.details, '{}') as details
from given as g
order by g.ordinality
returning check_key, status

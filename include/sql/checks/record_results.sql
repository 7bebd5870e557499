-- Result rows computed outside SQL (the common-sql integrity checks), given as a
-- JSON array of {check_key, status, details}. Replaces this run's rows of this check.
with replaced as (
    delete from analytics.quality_check_results
    where run_id = %(run_id)s and check_name = %(check_name)s
),

given as (
    select
        r.check_key,
        r.status,
        r.details
    from jsonb_to_recordset(%(rows)s::jsonb) as r (check_key text, status text, details jsonb)
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
returning check_key, status

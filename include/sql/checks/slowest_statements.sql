-- The slowest analytics statements since pg_stat_statements was last reset
-- (analytics.get_slow_queries; no rows where the extension is not loaded). A
-- report (INFO), never an alert. Replaces this run's rows of this check.
with replaced as (
    delete from analytics.quality_check_results
    where run_id = %(run_id)s and check_name = %(check_name)s
),

checked as (
    select
        s.calls,
        round(s.mean_time::numeric, 1) as mean_time,
        round(s.max_time::numeric, 1) as max_time,
        round(s.total_time::numeric, 1) as total_time,
        left(s.query, 500) as query,
        'md5:' || left(md5(s.query), 16) as statement_key
    from analytics.get_slow_queries() as s
)

insert into analytics.quality_check_results (
    run_id, logical_time, check_class, check_name, check_key, status, details
)
select
    %(run_id)s::text as run_id,
    %(logical_time)s::timestamptz as logical_time,
    %(check_class)s::text as check_class,
    %(check_name)s::text as check_name,
    c.statement_key,
    'INFO' as status,
    to_jsonb(c) as details
from checked as c
returning check_key, status

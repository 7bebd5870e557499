-- The slowest analytics statements since pg_stat_statements was last reset
-- (analytics.get_slow_queries; no rows where the extension is not loaded). A
-- report (INFO), never an alert.
with statements as (
    select
        s.calls,
        round(s.mean_time::numeric, 1) as mean_time,
        round(s.max_time::numeric, 1) as max_time,
        round(s.total_time::numeric, 1) as total_time,
        left(s.query, 500) as query,
        'md5:' || left(md5(s.query), 16) as statement_key
    from analytics.get_slow_queries() as s
)

select
    c.statement_key as check_key,
    'INFO' as status,
    to_jsonb(c) as details
from statements as c

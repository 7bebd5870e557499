-- Per active channel, hours of the last 24 complete hours before the run's logical
-- time without any fact row (analytics.check_missing_data). Replaces this run's
-- rows of this check.
with replaced as (
    delete from analytics.quality_check_results
    where run_id = %(run_id)s and check_name = %(check_name)s
),

checked as (
    select * from analytics.check_missing_data(%(logical_time)s)
)

insert into analytics.quality_check_results (
    run_id, logical_time, check_class, check_name, check_key, status, details
)
select
    %(run_id)s::text as run_id,
    %(logical_time)s::timestamptz as logical_time,
    %(check_class)s::text as check_class,
    %(check_name)s::text as check_name,
    c.channel_id,
    c.status,
    to_jsonb(c) || jsonb_build_object('channel_name', ch.channel_name) as details
from checked as c
left join analytics.dim_channel as ch on c.channel_id = ch.channel_id
returning check_key, status

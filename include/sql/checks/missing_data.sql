-- Per active channel, hours of the last 24 complete hours before the run's logical
-- time without any fact row (analytics.check_missing_data).
select
    c.channel_id as check_key,
    c.status,
    to_jsonb(c) || jsonb_build_object('channel_name', ch.channel_name) as details
from analytics.check_missing_data(%(logical_time)s) as c
left join analytics.dim_channel as ch on c.channel_id = ch.channel_id

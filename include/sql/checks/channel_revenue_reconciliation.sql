-- Per channel and YouTube day, YouTube's channel total against the sum of the
-- channel's video rows (analytics.check_channel_revenue_reconciliation): catches
-- videos the loader missed.
select
    c.channel_id || ' ' || c.check_date::text as check_key,
    c.status,
    to_jsonb(c) || jsonb_build_object('channel_name', ch.channel_name) as details
from analytics.check_channel_revenue_reconciliation(%(logical_time)s) as c
left join analytics.dim_channel as ch on c.channel_id = ch.channel_id

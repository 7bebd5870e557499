-- Per channel and metric, the forecast model in use against its own back-test: the
-- newest week's error against the usual one (analytics.check_forecast_accuracy). The
-- back-test in force is judged whatever the run's time: it changes once a week.
select
    c.channel_id || ' ' || c.metric as check_key,
    c.status,
    to_jsonb(c) - 'check_key' || jsonb_build_object('channel_name', ch.channel_name) as details
from analytics.check_forecast_accuracy() as c
left join analytics.dim_channel as ch on c.channel_id = ch.channel_id
where %(logical_time)s::timestamptz is not null

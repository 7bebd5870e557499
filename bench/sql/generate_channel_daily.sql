-- Bench set-up: YouTube's channel totals per Pacific day in [first, last] (the days it
-- has reported), as the revenue load lands them in yt_channel_daily: views from the
-- daily rollup, revenue (ad + other) from revenue_attribution, in dollars.
insert into analytics.yt_channel_daily (
    channel_id, day, views, estimated_minutes_watched, estimated_revenue,
    estimated_ad_revenue, run_id
)
select
    r.channel_id,
    r.revenue_date,
    coalesce(h.views, 0)::bigint,
    h.watch_time_minutes,
    r.cents / 100.0,
    r.ad_cents / 100.0,
    'bench'
from (
    select
        a.channel_id,
        a.revenue_date,
        sum(a.ad_revenue_cents + a.other_revenue_cents) as cents,
        sum(a.ad_revenue_cents) as ad_cents
    from analytics.revenue_attribution as a
    where a.revenue_date between %(first)s and %(last)s
    group by a.channel_id, a.revenue_date
) as r
left join analytics.mv_historical_performance as h
    on
        r.channel_id = h.channel_id
        and h.day = analytics.warehouse_day_start(r.revenue_date)

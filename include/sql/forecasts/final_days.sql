-- The final days of the given channels: YouTube's channel total per Pacific day (the
-- channel's dimensions=day report, landed in yt_channel_daily: only days YouTube has
-- reported), up to each channel's newest reported day on or before %(through)s, the
-- newest %(history_days)s days of it. Revenue: YouTube's estimated revenue (ad + other)
-- in cents, rounded half up; none for an unmonetised channel.
with newest as (
    select
        d.channel_id,
        max(d.day) as trained_through
    from analytics.yt_channel_daily as d
    where d.channel_id = any(%(channel_ids)s) and d.day <= %(through)s
    group by d.channel_id
)

select
    d.channel_id,
    d.day,
    d.views,
    round(coalesce(d.estimated_revenue, 0) * 100) as revenue_cents
from analytics.yt_channel_daily as d
inner join newest as n on d.channel_id = n.channel_id
where d.day <= n.trained_through and d.day > n.trained_through - %(history_days)s
order by d.channel_id, d.day

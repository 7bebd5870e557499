-- Channel Performance Matrix, "30-Day Forecast": for the selected channels, the next 30
-- days of views and YouTube revenue from the channel's newest forecast against its last
-- 30 final days (YouTube's channel totals up to the day the forecast was trained through),
-- and a flag where the forecast falls more than 10 % below them. Money in dollars. It
-- does not follow the time picker.
with newest as (
    select
        f.channel_id,
        max(f.trained_through) as trained_through
    from analytics.forecast_daily as f
    where f.channel_id in (${channel:sqlstring}) and f.metric = 'views'
    group by f.channel_id
),

ahead as (
    select
        n.channel_id,
        n.trained_through,
        sum(f.point) filter (where f.metric = 'views') as views,
        sum(f.point) filter (where f.metric = 'revenue_cents') / 100.0 as revenue
    from newest as n
    inner join analytics.forecast_daily as f
        on n.channel_id = f.channel_id and n.trained_through = f.trained_through
    group by n.channel_id, n.trained_through
),

behind as (
    select
        n.channel_id,
        sum(d.views) as views,
        sum(round(coalesce(d.estimated_revenue, 0) * 100)) / 100.0 as revenue
    from newest as n
    inner join analytics.yt_channel_daily as d
        on
            n.channel_id = d.channel_id
            and n.trained_through - 30 < d.day
            and n.trained_through >= d.day
    group by n.channel_id
)

select
    c.channel_name,
    a.trained_through,
    b.views as last_30d_views,
    round(a.views) as next_30d_views,
    round(100 * (a.views - b.views) / nullif(b.views, 0), 1) as views_change_pct,
    round(b.revenue, 2) as last_30d_revenue,
    round(a.revenue, 2) as next_30d_revenue,
    round(100 * (a.revenue - b.revenue) / nullif(b.revenue, 0), 1) as revenue_change_pct,
    case
        when a.views < 0.9 * b.views or a.revenue < 0.9 * b.revenue then 'falls'
        else ''
    end as forecast_flag
from ahead as a
inner join behind as b on a.channel_id = b.channel_id
inner join analytics.dim_channel as c on a.channel_id = c.channel_id
order by forecast_flag desc, c.channel_name asc, a.channel_id asc

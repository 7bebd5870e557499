-- The view the channel dashboard reads (spec §3.2 names it; the spec never
-- defines it). The 7 complete warehouse days before today, every active channel
-- (also those without data), ranks across all channels.
create view analytics.channel_performance_view as
with period as (
    select
        analytics.warehouse_day_start(analytics.warehouse_day(now()) - 7) as from_ts,
        analytics.warehouse_day_start(analytics.warehouse_day(now())) as to_ts
),

daily as (
    select
        h.channel_id,
        sum(h.views) as total_views,
        sum(h.total_engagements) as engagements,
        sum(h.revenue) as total_revenue,
        sum(h.total_cost) as total_cost,
        sum(h.watch_time_minutes) as watch_time_minutes
    from analytics.mv_historical_performance as h
    cross join period as p
    where h.day >= p.from_ts and h.day < p.to_ts
    group by h.channel_id
),

videos as (
    select
        r.channel_id,
        count(distinct r.video_id) as video_count
    from analytics.mv_recent_performance as r
    cross join period as p
    where r.hour >= p.from_ts and r.hour < p.to_ts
    group by r.channel_id
),

channel_performance as (
    select
        c.channel_id,
        c.channel_name,
        c.niche,
        coalesce(v.video_count, 0) as video_count,
        coalesce(d.total_views, 0) as total_views,
        case when d.total_views > 0 then d.engagements / d.total_views end as avg_engagement,
        coalesce(d.total_revenue, 0) as total_revenue,
        coalesce(d.total_cost, 0) as total_cost,
        coalesce(d.total_revenue, 0) - coalesce(d.total_cost, 0) as profit,
        coalesce(d.watch_time_minutes, 0) as watch_time_minutes
    from analytics.dim_channel as c
    left join daily as d on c.channel_id = d.channel_id
    left join videos as v on c.channel_id = v.channel_id
    where c.status = 'active' or d.channel_id is not null
)

select
    *,
    rank() over (order by total_revenue desc) as revenue_rank,
    rank() over (order by total_views desc) as views_rank,
    rank() over (order by profit desc) as profit_rank
from channel_performance;

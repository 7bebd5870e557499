-- requires: views/channel_daily_current, views/video_daily_current, functions/warehouse_day, functions/warehouse_day_start
-- The view the channel dashboard reads (spec §3.2 names it; the spec never
-- defines it): the 7 complete warehouse days before today, every active channel
-- (also those without data), ranks across all channels. Read from the daily
-- rollups through the "current" views, so buckets not yet refreshed are answered
-- from the fact table; the video count comes from the per-video daily rollup.
-- The period is written into each WHERE (not a joined CTE) so that it is an index
-- condition and reaches the union inside the views.
create or replace view analytics.channel_performance_view as
with daily as (
    select
        h.channel_id,
        sum(h.views) as total_views,
        sum(h.total_engagements) as engagements,
        sum(h.revenue) as total_revenue,
        sum(h.total_cost) as total_cost,
        sum(h.watch_time_minutes) as watch_time_minutes
    from analytics.channel_daily_current as h
    where
        h.day >= analytics.warehouse_day_start(analytics.warehouse_day(now()) - 7)
        and h.day < analytics.warehouse_day_start(analytics.warehouse_day(now()))
    group by h.channel_id
),

videos as (
    select
        pairs.channel_id,
        count(*) as video_count
    from (
        select distinct
            v.channel_id,
            v.video_id
        from analytics.video_daily_current as v
        where
            v.day >= analytics.warehouse_day_start(analytics.warehouse_day(now()) - 7)
            and v.day < analytics.warehouse_day_start(analytics.warehouse_day(now()))
    ) as pairs
    group by pairs.channel_id
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

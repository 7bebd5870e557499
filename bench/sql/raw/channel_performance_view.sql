-- Bench reference: analytics.channel_performance_view's answer from the raw fact table.
with period as (
    select
        analytics.warehouse_day_start(analytics.warehouse_day(now()) - 7) as from_ts,
        analytics.warehouse_day_start(analytics.warehouse_day(now())) as to_ts
),

activity as (
    select
        f.channel_id,
        count(distinct f.video_id) as video_count,
        sum(f.views) as total_views,
        sum(f.likes::bigint + f.comments + f.shares) as engagements,
        sum(f.estimated_revenue_cents) / 100.0 as total_revenue,
        sum(f.cost_cents) / 100.0 as total_cost,
        sum(f.watch_time_minutes) as watch_time_minutes
    from analytics.fact_video_performance as f
    cross join period as p
    where f.timestamp >= p.from_ts and f.timestamp < p.to_ts
    group by f.channel_id
),

channel_performance as (
    select
        c.channel_id,
        c.channel_name,
        c.niche,
        coalesce(a.video_count, 0) as video_count,
        coalesce(a.total_views, 0) as total_views,
        case when a.total_views > 0 then a.engagements / a.total_views end as avg_engagement,
        coalesce(a.total_revenue, 0) as total_revenue,
        coalesce(a.total_cost, 0) as total_cost,
        coalesce(a.total_revenue, 0) - coalesce(a.total_cost, 0) as profit,
        coalesce(a.watch_time_minutes, 0) as watch_time_minutes
    from analytics.dim_channel as c
    left join activity as a on c.channel_id = a.channel_id
    where c.status = 'active' or a.channel_id is not null
)

select
    *,
    rank() over (order by total_revenue desc) as revenue_rank,
    rank() over (order by total_views desc) as views_rank,
    rank() over (order by profit desc) as profit_rank
from channel_performance
order by channel_id

-- Bench reference: the same answer computed from the raw tables (the query as it
-- read before the daily rollups' fast reads).
-- Spec Query 1: channel performance over the 7 days before %(as_of)s.
-- Every active channel appears (the spec's WHERE on the outer-joined fact
-- dropped channels without data); engagement is weighted by views.
with activity as (
    select
        f.channel_id,
        count(distinct f.video_id) as video_count,
        sum(f.views) as total_views,
        sum(f.likes::bigint + f.comments + f.shares) as engagements,
        sum(f.estimated_revenue_cents) as revenue_cents,
        sum(f.cost_cents) as cost_cents,
        avg(f.watch_time_minutes) as avg_watch_time
    from analytics.fact_video_performance as f
    where
        f.timestamp >= analytics.warehouse_days_before(%(as_of)s, 7)
        and f.timestamp < %(as_of)s::timestamptz
    group by f.channel_id
),

channel_performance as (
    select
        c.channel_id,
        c.channel_name,
        c.niche,
        coalesce(a.video_count, 0) as video_count,
        coalesce(a.total_views, 0) as total_views,
        case when a.total_views > 0 then a.engagements::numeric / a.total_views end
            as avg_engagement,
        coalesce(a.revenue_cents, 0) / 100.0 as total_revenue,
        coalesce(a.cost_cents, 0) / 100.0 as total_cost,
        (coalesce(a.revenue_cents, 0) - coalesce(a.cost_cents, 0)) / 100.0 as profit,
        a.avg_watch_time
    from analytics.dim_channel as c
    left join activity as a on c.channel_id = a.channel_id
    where c.status = 'active'
),

channel_ranking as (
    select
        *,
        rank() over (order by total_revenue desc) as revenue_rank,
        rank() over (order by total_views desc) as views_rank,
        rank() over (order by profit desc) as profit_rank
    from channel_performance
)

select * from channel_ranking
order by profit_rank, channel_id

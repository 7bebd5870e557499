-- Spec Query 1: channel performance over the 7 days before %(as_of)s.
-- Every active channel appears (the spec's WHERE on the outer-joined fact
-- dropped channels without data); engagement is weighted by views.
-- The window's daily series (analytics.daily_series: complete warehouse days from
-- the rollups, the partial days at the edges from the fact table): the sums per
-- channel from its series per channel, the distinct videos and the fact rows (for
-- the average watch time per row) from its series per video, where count(*) of a
-- channel's (channel, video) pairs is its distinct video count.
with window_sums as (
    select
        s.channel_id,
        sum(s.views) as total_views,
        sum(s.engagements) as engagements,
        sum(s.revenue_cents) as revenue_cents,
        sum(s.cost_cents) as cost_cents,
        sum(s.watch_time_minutes) as watch_time_minutes
    from
        analytics.daily_series(
            analytics.warehouse_days_before(%(as_of)s, 7), %(as_of)s::timestamptz,
            p_by_video => false
        ) as s
    group by s.channel_id
),

per_video as (
    select
        s.channel_id,
        s.video_id,
        sum(s.fact_rows) as fact_rows
    from
        analytics.daily_series(
            analytics.warehouse_days_before(%(as_of)s, 7), %(as_of)s::timestamptz
        ) as s
    group by s.channel_id, s.video_id
),

activity as (
    select
        w.channel_id,
        v.video_count,
        w.total_views,
        w.engagements,
        w.revenue_cents,
        w.cost_cents,
        w.watch_time_minutes / v.fact_rows as avg_watch_time
    from window_sums as w
    inner join (
        select
            channel_id,
            count(*) as video_count,
            sum(fact_rows) as fact_rows
        from per_video
        group by channel_id
    ) as v on w.channel_id = v.channel_id
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

-- Spec Query 1: channel performance over the 7 days before %(as_of)s.
-- Every active channel appears (the spec's WHERE on the outer-joined fact
-- dropped channels without data); engagement is weighted by views.
-- The window's daily series per video (analytics.daily_series: complete warehouse
-- days from the rollup, the partial days at the edges from the fact table), summed
-- per (channel, video) first, then per channel: count(*) of the pairs is the
-- distinct video count, without count(distinct)'s sort.
with per_video as (
    select
        s.channel_id,
        s.video_id,
        sum(s.fact_rows) as fact_rows,
        sum(s.views) as views,
        sum(s.engagements) as engagements,
        sum(s.revenue_cents) as revenue_cents,
        sum(s.cost_cents) as cost_cents,
        sum(s.watch_time_minutes) as watch_time_minutes
    from
        analytics.daily_series(
            %(as_of)s::timestamptz - interval '7 days', %(as_of)s::timestamptz
        ) as s
    group by s.channel_id, s.video_id
),

activity as (
    select
        channel_id,
        count(*) as video_count,
        sum(views) as total_views,
        sum(engagements) as engagements,
        sum(revenue_cents) as revenue_cents,
        sum(cost_cents) as cost_cents,
        sum(watch_time_minutes) / sum(fact_rows) as avg_watch_time
    from per_video
    group by channel_id
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

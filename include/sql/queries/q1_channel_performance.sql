-- Spec Query 1: channel performance over the 7 days before %(as_of)s.
-- Every active channel appears (the spec's WHERE on the outer-joined fact
-- dropped channels without data); engagement is weighted by views.
-- Complete warehouse days come from the per-video daily rollup, the partial days
-- at either edge of the window from the fact table (analytics.complete_days).
with bounds as (
    select
        w.from_ts,
        w.to_ts,
        d.from_day,
        d.to_day
    from (
        select
            %(as_of)s::timestamptz - interval '7 days' as from_ts,
            %(as_of)s::timestamptz as to_ts
    ) as w
    cross join lateral analytics.complete_days(w.from_ts, w.to_ts) as d
),

video_parts as (
    select
        v.channel_id,
        v.video_id,
        v.fact_rows,
        v.views,
        v.engagements,
        v.revenue_cents,
        v.cost_cents,
        v.watch_time_minutes
    from analytics.video_daily_current as v
    where
        v.day >= (select b.from_day from bounds as b)
        and v.day < (select b.to_day from bounds as b)
    union all
    select
        f.channel_id,
        f.video_id,
        1 as fact_rows,
        f.views,
        f.likes::bigint + f.comments + f.shares as engagements,
        f.estimated_revenue_cents as revenue_cents,
        f.cost_cents,
        f.watch_time_minutes
    from analytics.fact_video_performance as f
    where
        (
            f.timestamp >= (select b.from_ts from bounds as b)
            and f.timestamp < (select least(b.from_day, b.to_ts) from bounds as b)
        )
        or (
            f.timestamp >= (select b.to_day from bounds as b)
            and f.timestamp < (select b.to_ts from bounds as b)
        )
),

-- Per (channel, video) first, then per channel: count(*) of the pairs is the
-- distinct video count, without count(distinct)'s sort.
per_video as (
    select
        channel_id,
        video_id,
        sum(fact_rows) as fact_rows,
        sum(views) as views,
        sum(engagements) as engagements,
        sum(revenue_cents) as revenue_cents,
        sum(cost_cents) as cost_cents,
        sum(watch_time_minutes) as watch_time_minutes
    from video_parts
    group by channel_id, video_id
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

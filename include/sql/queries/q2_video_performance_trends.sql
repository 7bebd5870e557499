-- Spec Query 2 for hourly increments (KNOWN-DEFECTS 11): a video's daily views
-- are the SUM of its increments over the warehouse day, not a MAX of snapshots.
-- Window: the 30 days before %(as_of)s; complete warehouse days from the per-video
-- daily rollup, the partial days at the edges from the fact table (a day is
-- keyed by its start).
with bounds as (
    select
        w.from_ts,
        w.to_ts,
        d.from_day,
        d.to_day
    from (
        select
            %(as_of)s::timestamptz - interval '30 days' as from_ts,
            %(as_of)s::timestamptz as to_ts
    ) as w
    cross join lateral analytics.complete_days(w.from_ts, w.to_ts) as d
),

video_parts as (
    select
        v.video_id,
        v.day,
        v.views,
        v.revenue_cents
    from analytics.video_daily_current as v
    where
        v.day >= (select b.from_day from bounds as b)
        and v.day < (select b.to_day from bounds as b)
    union all
    select
        f.video_id,
        analytics.warehouse_day_start(analytics.warehouse_day(f.timestamp)) as day,
        f.views,
        f.estimated_revenue_cents as revenue_cents
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

video_days as (
    select
        video_id,
        day,
        sum(views) as daily_views,
        sum(revenue_cents) / 100.0 as daily_revenue
    from video_parts
    group by video_id, day
),

video_growth as (
    select
        video_id,
        day,
        daily_views,
        daily_views - lag(daily_views) over (partition by video_id order by day) as view_change,
        sum(daily_revenue) over (partition by video_id order by day) as cumulative_revenue
    from video_days
),

final as (
    select
        g.video_id,
        d.title,
        d.channel_id,
        max(g.daily_views) as peak_daily_views,
        avg(g.daily_views) as avg_daily_growth,
        avg(g.view_change) as avg_daily_change,
        max(g.cumulative_revenue) as total_revenue,
        count(*) filter (where g.daily_views > 1000) as viral_days
    from video_growth as g
    inner join analytics.dim_video as d on g.video_id = d.video_id
    group by g.video_id, d.title, d.channel_id
    having max(g.daily_views) > 1000
)

select * from final
order by total_revenue desc, video_id
limit 100

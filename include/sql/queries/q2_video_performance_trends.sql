-- Spec Query 2 for hourly increments (KNOWN-DEFECTS 11): a video's daily views
-- are the SUM of its increments over the warehouse day, not a MAX of snapshots.
-- Window: the 30 days before %(as_of)s, as the daily series per video
-- (analytics.daily_series), each day keyed by its start. Only videos with a day
-- above 1,000 views are reported, so only their series are read: the videos picked
-- first by analytics.videos_above_daily_views (views across the video's channels,
-- as summed here), then their series.
with video_days as (
    select
        s.video_id,
        s.day,
        sum(s.views) as daily_views,
        sum(s.revenue_cents) / 100.0 as daily_revenue
    from
        analytics.daily_series(
            analytics.warehouse_days_before(%(as_of)s, 30), %(as_of)s::timestamptz,
            p_videos => array(
                select c.video_id
                from analytics.videos_above_daily_views(
                    analytics.warehouse_days_before(%(as_of)s, 30), %(as_of)s::timestamptz, 1000
                ) as c
            )
        ) as s
    group by s.video_id, s.day
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

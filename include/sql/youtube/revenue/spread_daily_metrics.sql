-- Makes one YouTube day final for the channel's videos: spreads each video's
-- figures of the day over its fact rows of that day, integers by
-- analytics.split_cents (ties: the earlier hour), so every video's sums equal
-- its day figures exactly:
-- - views become YouTube's (videos YouTube reported that day), in proportion
--   to the hours' current max(views, 0), evenly where no hour has views: the
--   counter increments the first time, the spread itself on a re-load (which
--   splits back to the same hours: the shape is kept);
-- - everything else follows the hours' views after that step (the final views
--   of a reported video, the counter increments of the others): likes and
--   comments (reported videos only; the others keep their increments),
--   dislikes, shares, watch time (hundredths of a minute), estimated revenue
--   (cents of yt_video_daily) and cost (cents of revenue_attribution); rows of
--   videos without figures are reset to zero, so a re-load replaces the spread;
-- - average_view_duration_seconds is the day's value on every hour.
-- The hourly collector never writes a loaded day, so nothing competes for
-- these rows. Only rows whose values change are written.
with bounds as (
    select
        analytics.youtube_day_start(%(day)s::date) as day_start,
        analytics.youtube_day_start(%(day)s::date + 1) as day_end
),

shapes as (
    select
        f.video_id,
        array_agg(f.timestamp order by f.timestamp) as hours,
        array_agg(greatest(f.views, 0)::numeric order by f.timestamp) as weights
    from analytics.fact_video_performance as f
    cross join bounds as b
    where
        f.channel_id = %(channel_id)s
        and f.timestamp >= b.day_start
        and f.timestamp < b.day_end
    group by f.video_id
),

totals as (
    select
        s.video_id,
        s.hours,
        case
            when y.views is null then s.weights
            else analytics.split_cents(s.weights, y.views)::numeric[]
        end as weights,
        y.views,
        y.likes,
        y.comments,
        coalesce(y.dislikes, 0) as dislikes,
        coalesce(y.shares, 0) as shares,
        coalesce(round(y.estimated_minutes_watched * 100), 0) as watch_hundredths,
        coalesce(round(y.estimated_revenue * 100), 0) as revenue_cents,
        coalesce(a.total_cost_cents, 0) as cost_cents,
        coalesce(y.average_view_duration, 0) as average_view_duration
    from shapes as s
    left join analytics.yt_video_daily as y
        on s.video_id = y.video_id and y.day = %(day)s::date
    left join analytics.revenue_attribution as a
        on s.video_id = a.video_id and a.revenue_date = %(day)s::date
),

target as (
    select
        t.video_id,
        u.timestamp,
        u.views,
        u.likes::integer as likes,
        u.comments::integer as comments,
        u.dislikes::integer as dislikes,
        u.shares::integer as shares,
        (u.watch_hundredths / 100.0)::numeric(12, 2) as watch_time_minutes,
        t.average_view_duration::numeric(10, 2) as average_view_duration_seconds,
        u.revenue_cents::integer as estimated_revenue_cents,
        u.cost_cents::integer as cost_cents
    from totals as t
    cross join lateral unnest(
        t.hours,
        analytics.split_cents(t.weights, t.views),
        analytics.split_cents(t.weights, t.likes),
        analytics.split_cents(t.weights, t.comments),
        analytics.split_cents(t.weights, t.dislikes),
        analytics.split_cents(t.weights, t.shares),
        analytics.split_cents(t.weights, t.watch_hundredths),
        analytics.split_cents(t.weights, t.revenue_cents),
        analytics.split_cents(t.weights, t.cost_cents)
    ) as u (
        timestamp, views, likes, comments, dislikes, shares, watch_hundredths, revenue_cents,
        cost_cents
    )
)

update analytics.fact_video_performance as f
set
    views = coalesce(t.views, f.views),
    likes = coalesce(t.likes, f.likes),
    comments = coalesce(t.comments, f.comments),
    dislikes = t.dislikes,
    shares = t.shares,
    watch_time_minutes = t.watch_time_minutes,
    average_view_duration_seconds = t.average_view_duration_seconds,
    estimated_revenue_cents = t.estimated_revenue_cents,
    cost_cents = t.cost_cents,
    updated_at = now()
from target as t, bounds as b
where
    f.video_id = t.video_id
    and f.timestamp = t.timestamp
    and f.timestamp >= b.day_start
    and f.timestamp < b.day_end
    and (
        f.views, f.likes, f.comments, f.dislikes, f.shares, f.watch_time_minutes,
        f.average_view_duration_seconds, f.estimated_revenue_cents, f.cost_cents
    )
    is distinct from
    (
        coalesce(t.views, f.views), coalesce(t.likes, f.likes), coalesce(t.comments, f.comments),
        t.dislikes, t.shares, t.watch_time_minutes, t.average_view_duration_seconds,
        t.estimated_revenue_cents, t.cost_cents
    )

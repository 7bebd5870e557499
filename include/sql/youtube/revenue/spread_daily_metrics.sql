-- Spreads one YouTube day's daily-only figures of the channel's videos over
-- their hourly fact rows of that day: dislikes, shares, watch time (hundredths
-- of a minute), estimated revenue (cents of yt_video_daily) and cost (cents of
-- revenue_attribution), each in proportion to max(views, 0) of the hour
-- (evenly where no hour of the video has views), integers by largest remainder
-- (ties: the earlier hour), so every video's sums equal its day figures
-- exactly. average_view_duration_seconds is the day's value on every hour.
-- Rows of videos without figures that day are reset to zero, so a re-load
-- replaces the day's spread. Writes only these columns, never the hourly
-- collector's, and only rows whose values change.
with bounds as (
    select
        analytics.youtube_day_start(%(day)s::date) as day_start,
        analytics.youtube_day_start(%(day)s::date + 1) as day_end
),

hours as (
    select
        f.video_id,
        f.timestamp,
        greatest(f.views, 0)::numeric as views
    from analytics.fact_video_performance as f
    cross join bounds as b
    where
        f.channel_id = %(channel_id)s
        and f.timestamp >= b.day_start
        and f.timestamp < b.day_end
),

totals as (
    select
        v.video_id,
        coalesce(y.dislikes, 0)::numeric as dislikes,
        coalesce(y.shares, 0)::numeric as shares,
        coalesce(round(y.estimated_minutes_watched * 100), 0) as watch_hundredths,
        coalesce(round(y.estimated_revenue * 100), 0) as revenue_cents,
        coalesce(a.total_cost_cents, 0)::numeric as cost_cents,
        coalesce(y.average_view_duration, 0) as average_view_duration
    from (select distinct video_id from hours) as v
    left join analytics.yt_video_daily as y
        on v.video_id = y.video_id and y.day = %(day)s::date
    left join analytics.revenue_attribution as a
        on v.video_id = a.video_id and a.revenue_date = %(day)s::date
),

weighted as (
    select
        video_id,
        timestamp,
        case when sum(views) over (partition by video_id) > 0 then views else 1 end as w
    from hours
),

parts as (
    select
        h.video_id,
        h.timestamp,
        m.metric,
        m.total,
        h.w * m.total as n,
        sum(h.w) over (partition by h.video_id, m.metric) as total_w
    from weighted as h
    inner join totals as t on h.video_id = t.video_id
    cross join lateral (
        values
        ('dislikes', t.dislikes),
        ('shares', t.shares),
        ('watch', t.watch_hundredths),
        ('revenue', t.revenue_cents),
        ('cost', t.cost_cents)
    ) as m (metric, total)
),

floored as (
    select
        video_id,
        timestamp,
        metric,
        total,
        n,
        total_w,
        mod(mod(n, total_w) + total_w, total_w) as rem
    from parts
),

based as (
    select
        video_id,
        timestamp,
        metric,
        total,
        rem,
        div(n - rem, total_w) as base
    from floored
),

ranked as (
    select
        video_id,
        timestamp,
        metric,
        base,
        total - sum(base) over (partition by video_id, metric) as leftover,
        row_number() over (partition by video_id, metric order by rem desc, timestamp) as rnk
    from based
),

spread as (
    select
        r.video_id,
        r.timestamp,
        sum(r.base + case when r.rnk <= r.leftover then 1 else 0 end)
        filter (where r.metric = 'dislikes') as dislikes,
        sum(r.base + case when r.rnk <= r.leftover then 1 else 0 end)
        filter (where r.metric = 'shares') as shares,
        sum(r.base + case when r.rnk <= r.leftover then 1 else 0 end)
        filter (where r.metric = 'watch') as watch_hundredths,
        sum(r.base + case when r.rnk <= r.leftover then 1 else 0 end)
        filter (where r.metric = 'revenue') as revenue_cents,
        sum(r.base + case when r.rnk <= r.leftover then 1 else 0 end)
        filter (where r.metric = 'cost') as cost_cents
    from ranked as r
    group by r.video_id, r.timestamp
),

target as (
    select
        s.video_id,
        s.timestamp,
        s.dislikes::integer as dislikes,
        s.shares::integer as shares,
        (s.watch_hundredths / 100)::numeric(12, 2) as watch_time_minutes,
        t.average_view_duration::numeric(10, 2) as average_view_duration_seconds,
        s.revenue_cents::integer as estimated_revenue_cents,
        s.cost_cents::integer as cost_cents
    from spread as s
    inner join totals as t on s.video_id = t.video_id
)

update analytics.fact_video_performance as f
set
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
        f.dislikes, f.shares, f.watch_time_minutes, f.average_view_duration_seconds,
        f.estimated_revenue_cents, f.cost_cents
    )
    is distinct from
    (
        t.dislikes, t.shares, t.watch_time_minutes, t.average_view_duration_seconds,
        t.estimated_revenue_cents, t.cost_cents
    )

-- Every video with figures to spread on this YouTube day gets at least one fact
-- row: where the hourly collector wrote none, a daily row at the day's first
-- hour with zero counters (daily_row: it holds a day, not an observed hour, so
-- hour-of-day analyses leave it out). Videos with figures are those YouTube
-- reported for the day and those with a direct cost that day (videos not yet
-- in dim_video get none: the fact table only holds known videos).
with bounds as (
    select
        analytics.youtube_day_start(%(day)s::date) as day_start,
        analytics.youtube_day_start(%(day)s::date + 1) as day_end,
        analytics.warehouse_day_start(%(day)s::date) as cost_from,
        analytics.warehouse_day_start(%(day)s::date + 1) as cost_to
),

reported as (
    select y.video_id
    from analytics.yt_video_daily as y
    where y.channel_id = %(channel_id)s and y.day = %(day)s::date
),

with_cost as (
    select c.video_id
    from analytics.cost_tracking as c
    cross join bounds as b
    inner join analytics.dim_video as v on c.video_id = v.video_id
    where
        v.channel_id = %(channel_id)s
        and c.timestamp >= b.cost_from
        and c.timestamp < b.cost_to
    group by c.video_id
    having sum(c.cost_cents) <> 0
),

wanted as (
    select video_id from reported
    union
    select video_id from with_cost
)

insert into analytics.fact_video_performance (video_id, channel_id, timestamp, daily_row)
select
    w.video_id,
    v.channel_id,
    b.day_start,
    true as daily_row
from wanted as w
inner join analytics.dim_video as v on w.video_id = v.video_id
cross join bounds as b
where
    not exists (
        select
        from analytics.fact_video_performance as f
        where
            f.video_id = w.video_id
            and f.timestamp >= b.day_start
            and f.timestamp < b.day_end
    )
on conflict (video_id, timestamp) do nothing

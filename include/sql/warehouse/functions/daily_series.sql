-- requires: functions/complete_days, functions/warehouse_day, functions/warehouse_day_start
-- requires: views/channel_daily_current, views/video_daily_current
-- The daily series of the window [p_from, p_to): one row per warehouse day and video
-- (p_by_video, the default) or per warehouse day and channel, keyed by the start of
-- its day. The window's complete days come from the daily rollups (through the
-- "current" views, so buckets not yet refreshed are exact too), the partial days at
-- its edges (analytics.complete_days) from the fact table. By channel, video_id and
-- fact_rows are null. A video that changed channel within a day has a row under
-- each. p_videos (by video only) restricts the rows to those videos: a few videos'
-- series read through the rollup's (video_id, day) index and the fact table's key.
-- PL/pgSQL with a custom plan per call, not an inlinable SQL function: planned on its
-- own with the call's values, the query lets TimescaleDB read the continuous
-- aggregates' watermarks as constants and exclude chunks while planning, and drops the
-- rollup p_by_video does not ask for. Inlined into the caller, the watermarks stayed a
-- catalog lookup per row and Query 4 took 14 times as long at medium scale. The result
-- is held in memory up to 64 MB (30 days of 10,000 videos are about 30 MB) instead of
-- being written to disk past the default work_mem. JIT off: the edges' estimate (a
-- generic range over the fact table) made PostgreSQL compile the query for longer
-- (about 150 ms) than the query takes.
drop function if exists analytics.daily_series(timestamptz, timestamptz, boolean);

create or replace function analytics.daily_series(
    p_from timestamptz,
    p_to timestamptz,
    p_by_video boolean default true,
    p_videos varchar[] default null
)
returns table (
    day timestamptz,
    channel_id varchar,
    video_id varchar,
    fact_rows bigint,
    views numeric,
    engagements numeric,
    revenue_cents numeric,
    cost_cents numeric,
    watch_time_minutes numeric
)
language plpgsql
stable
set plan_cache_mode = force_custom_plan
set work_mem = '64MB'
set jit = off
as $$
begin
    return query
    with bounds as (
        select
            d.from_day,
            d.to_day
        from analytics.complete_days(p_from, p_to) as d
    )

    select
        v.day,
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
        p_by_video
        and (p_videos is null or v.video_id = any(p_videos))
        and v.day >= (select b.from_day from bounds as b)
        and v.day < (select b.to_day from bounds as b)
    union all
    select
        h.day,
        h.channel_id,
        null,
        null,
        h.views,
        h.total_engagements,
        round(h.revenue * 100),
        round(h.total_cost * 100),
        h.watch_time_minutes
    from analytics.channel_daily_current as h
    where
        not p_by_video
        and h.day >= (select b.from_day from bounds as b)
        and h.day < (select b.to_day from bounds as b)
    union all
    select
        analytics.warehouse_day_start(analytics.warehouse_day(f.timestamp)),
        f.channel_id,
        case when p_by_video then f.video_id end,
        case when p_by_video then count(*) end,
        sum(f.views),
        sum(f.likes::bigint + f.comments + f.shares),
        sum(f.estimated_revenue_cents),
        sum(f.cost_cents),
        sum(f.watch_time_minutes)
    from analytics.fact_video_performance as f
    where
        (p_videos is null or f.video_id = any(p_videos))
        and (
            (
                f.timestamp >= p_from
                and f.timestamp < (select least(b.from_day, p_to) from bounds as b)
            )
            or (
                f.timestamp >= (select b.to_day from bounds as b)
                and f.timestamp < p_to
            )
        )
    group by 1, 2, 3;
end
$$;

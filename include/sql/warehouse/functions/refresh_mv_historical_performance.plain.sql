-- requires: functions/take_fact_invalidations, functions/warehouse_day, functions/warehouse_day_start
-- Recomputes the logged (channel, warehouse day) buckets before p_before (default:
-- the start of the current warehouse day), so the rollup holds complete days only;
-- later ones stay logged for a later refresh. The per-video rows
-- (mv_video_daily_performance) come from the fact table, then the channel rows from
-- them (count(*) of a channel-day's per-video rows is its distinct video count), and
-- the per-video rows across channels (mv_video_daily_views) of every day touched.
-- Returns how many buckets it recomputed.
create or replace function analytics.refresh_mv_historical_performance(
    p_before timestamptz default null
)
returns integer
language plpgsql
set plan_cache_mode = force_custom_plan
as $$
declare
    v_channels text [];
    v_buckets timestamptz [];
    v_days timestamptz [];
begin
    select channel_ids, buckets into v_channels, v_buckets
    from analytics.take_fact_invalidations(
        'mv_historical_performance',
        coalesce(p_before, analytics.warehouse_day_start(analytics.warehouse_day(now())))
    );

    delete from analytics.mv_video_daily_performance as m
    using unnest(v_channels, v_buckets) as b (channel_id, bucket)
    where m.channel_id = b.channel_id and m.day = b.bucket;

    delete from analytics.mv_historical_performance as m
    using unnest(v_channels, v_buckets) as b (channel_id, bucket)
    where m.channel_id = b.channel_id and m.day = b.bucket;

    insert into analytics.mv_video_daily_performance
    select
        b.bucket,
        b.channel_id,
        a.video_id,
        a.fact_rows,
        a.views,
        a.engagements,
        a.revenue_cents,
        a.cost_cents,
        a.watch_time_minutes
    from unnest(v_channels, v_buckets) as b (channel_id, bucket)
    cross join lateral (
        select
            f.video_id,
            count(*) as fact_rows,
            sum(f.views) as views,
            sum(f.likes::bigint + f.comments + f.shares) as engagements,
            sum(f.estimated_revenue_cents) as revenue_cents,
            sum(f.cost_cents) as cost_cents,
            sum(f.watch_time_minutes) as watch_time_minutes
        from analytics.fact_video_performance as f
        where
            f.channel_id = b.channel_id
            and f.timestamp >= b.bucket
            and f.timestamp < analytics.warehouse_day_start(analytics.warehouse_day(b.bucket) + 1)
        group by f.video_id
    ) as a;

    insert into analytics.mv_historical_performance
    select
        m.day,
        m.channel_id,
        count(*),
        sum(m.views),
        case when sum(m.views) > 0 then sum(m.engagements) / sum(m.views) end,
        sum(m.revenue_cents) / 100.0,
        sum(m.cost_cents) / 100.0,
        sum(m.engagements),
        sum(m.watch_time_minutes)
    from analytics.mv_video_daily_performance as m
    inner join unnest(v_channels, v_buckets) as b (channel_id, bucket)
        on m.channel_id = b.channel_id and m.day = b.bucket
    group by m.day, m.channel_id;

    -- The distinct days, planned with their values: an array of each bucket's day (one
    -- entry per channel) made the planner expect the whole table and scan it.
    v_days := array(select distinct b.bucket from unnest(v_buckets) as b (bucket));

    delete from analytics.mv_video_daily_views as m
    where m.day = any(v_days);

    insert into analytics.mv_video_daily_views (day, video_id, views)
    select
        m.day,
        m.video_id,
        sum(m.views)
    from analytics.mv_video_daily_performance as m
    where m.day = any(v_days)
    group by m.day, m.video_id;
    return cardinality(v_buckets);
end
$$;

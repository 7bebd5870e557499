-- Fast reads (issue 12): a per-video rollup by warehouse day, and views that answer
-- every (channel, day) bucket exactly whether or not it has been refreshed.
--
-- mv_video_daily_performance is refreshed together with mv_historical_performance,
-- for the same logged (channel, warehouse day) buckets: refresh_mv_historical_performance
-- recomputes the per-video rows from the fact table, then the channel rows from
-- them (count(distinct video_id) is the number of per-video rows). Rebuild, zone
-- change and TRUNCATE go through mv_historical_performance's log as before.
create table analytics.mv_video_daily_performance (
    day timestamptz not null,
    channel_id varchar(50) not null,
    video_id varchar(50) not null,
    fact_rows bigint not null,
    views numeric not null,
    engagements numeric not null,
    revenue_cents numeric not null,
    cost_cents numeric not null,
    watch_time_minutes numeric not null,
    primary key (day, channel_id, video_id)
);

-- An existing warehouse: the days already in mv_historical_performance.
insert into analytics.mv_video_daily_performance
select
    h.day,
    h.channel_id,
    a.video_id,
    a.fact_rows,
    a.views,
    a.engagements,
    a.revenue_cents,
    a.cost_cents,
    a.watch_time_minutes
from analytics.mv_historical_performance as h
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
        f.channel_id = h.channel_id
        and f.timestamp >= h.day
        and f.timestamp < analytics.warehouse_day_start(analytics.warehouse_day(h.day) + 1)
    group by f.video_id
) as a;

create or replace function analytics.refresh_mv_historical_performance(
    p_before timestamptz default null
)
returns integer
language plpgsql
as $$
declare
    v_channels text [];
    v_buckets timestamptz [];
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
    return cardinality(v_buckets);
end
$$;

-- The (channel, day) buckets logged and not yet refreshed: the day in progress,
-- and any change since the last refresh (late data, hand-made corrections).
create view analytics.pending_daily_buckets as
select distinct
    i.channel_id,
    i.bucket as day
from analytics.fact_invalidation as i
where i.rollup_name = 'mv_historical_performance';

-- Per video and warehouse day: refreshed buckets from the rollup, pending ones
-- from the fact table (what real-time aggregation does on the TimescaleDB path).
-- NOT IN (both columns are NOT NULL) is a hashed subplan: NOT EXISTS was planned as
-- a nested loop over the log for every rollup row when the log's statistics were old.
create view analytics.video_daily_current as
select
    m.day,
    m.channel_id,
    m.video_id,
    m.fact_rows,
    m.views,
    m.engagements,
    m.revenue_cents,
    m.cost_cents,
    m.watch_time_minutes
from analytics.mv_video_daily_performance as m
where
    (m.channel_id, m.day) not in (
        select
            p.channel_id,
            p.day
        from analytics.pending_daily_buckets as p
    )
union all
select
    p.day,
    p.channel_id,
    a.video_id,
    a.fact_rows,
    a.views,
    a.engagements,
    a.revenue_cents,
    a.cost_cents,
    a.watch_time_minutes
from analytics.pending_daily_buckets as p
cross join lateral (
    select
        f.video_id,
        count(*) as fact_rows,
        sum(f.views) as views,
        sum(f.likes::bigint + f.comments + f.shares) as engagements,
        sum(f.estimated_revenue_cents)::numeric as revenue_cents,
        sum(f.cost_cents)::numeric as cost_cents,
        sum(f.watch_time_minutes) as watch_time_minutes
    from analytics.fact_video_performance as f
    where
        f.channel_id = p.channel_id
        and f.timestamp >= p.day
        and f.timestamp < analytics.warehouse_day_start(analytics.warehouse_day(p.day) + 1)
    group by f.video_id
) as a;

-- Per channel and warehouse day, the same way.
create view analytics.channel_daily_current as
select
    h.day,
    h.channel_id,
    h.videos,
    h.views,
    h.revenue,
    h.total_cost,
    h.total_engagements,
    h.watch_time_minutes
from analytics.mv_historical_performance as h
where
    (h.channel_id, h.day) not in (
        select
            p.channel_id,
            p.day
        from analytics.pending_daily_buckets as p
    )
union all
select
    p.day,
    p.channel_id,
    a.videos,
    a.views,
    a.revenue,
    a.total_cost,
    a.total_engagements,
    a.watch_time_minutes
from analytics.pending_daily_buckets as p
cross join
    lateral (
        select
            count(distinct f.video_id) as videos,
            sum(f.views) as views,
            sum(f.estimated_revenue_cents) / 100.0 as revenue,
            sum(f.cost_cents) / 100.0 as total_cost,
            sum(f.likes::bigint + f.comments + f.shares) as total_engagements,
            sum(f.watch_time_minutes) as watch_time_minutes
        from analytics.fact_video_performance as f
        where
            f.channel_id = p.channel_id
            and f.timestamp >= p.day
            and f.timestamp < analytics.warehouse_day_start(analytics.warehouse_day(p.day) + 1)
    ) as a
where a.videos > 0;

-- As in migration 0082, emptying the per-video rollup too on a zone change.
create or replace function analytics.apply_warehouse_settings(p_changed text[])
returns text[]
language plpgsql
as $$
begin
    if 'warehouse_tz' = any(p_changed) then
        delete from analytics.fact_invalidation
        where rollup_name = 'mv_historical_performance';
        delete from analytics.mv_historical_performance;
        delete from analytics.mv_video_daily_performance;
        perform analytics.rebuild_rollup('mv_historical_performance');
        return array[
            'mv_historical_performance and mv_video_daily_performance emptied: '
            || 'their next refresh recomputes them in the new zone'
        ];
    end if;
    return '{}';
end
$$;

-- Partition upkeep for the 3 AM refresh: the months around the logical date and
-- every month that has stray rows in the DEFAULT partition (ensure_fact_partition
-- moves them into the month's new partition). Runs as the table owner: creating
-- a partition needs ownership, which the Airflow loader role does not have.
create or replace function analytics.ensure_fact_partitions(
    p_logical_date date, p_months_ahead integer
)
returns table (month text, created boolean)
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
    v_month date;
begin
    for v_month in
        select m::date
        from generate_series(
            date_trunc('month', p_logical_date) - interval '1 month',
            date_trunc('month', p_logical_date) + make_interval(months => p_months_ahead),
            interval '1 month'
        ) as m
        union
        select distinct date_trunc('month', d.timestamp, 'UTC')::date
        from analytics.fact_video_performance_default as d
        order by 1
    loop
        month := to_char(v_month, 'YYYY-MM');
        created := analytics.ensure_fact_partition(v_month);
        return next;
    end loop;
end
$$;

-- Maintenance: marks every bucket of one rollup as invalid, so that its next
-- refresh recomputes it from scratch. Cost grows with history: an explicit
-- action (docs/operations.md), never part of a scheduled run.
create or replace function analytics.rebuild_rollup(p_rollup text)
returns integer
language plpgsql
as $$
declare
    v_count integer;
begin
    if p_rollup = 'daily_revenue_summary' then
        perform pg_advisory_xact_lock(hashtext('analytics.daily_revenue_summary'));
        insert into analytics.revenue_invalidation (revenue_date)
        select revenue_date from analytics.revenue_attribution
        union
        select revenue_date from analytics.daily_revenue_summary;
        get diagnostics v_count = row_count;
        return v_count;
    end if;

    perform pg_advisory_xact_lock(hashtext('analytics.' || p_rollup));
    if p_rollup in ('hourly_channel_metrics', 'mv_recent_performance') then
        insert into analytics.fact_invalidation (rollup_name, channel_id, bucket)
        select p_rollup, channel_id, timestamp from analytics.fact_video_performance
        union
        select p_rollup, channel_id, hour from analytics.hourly_channel_metrics
        where p_rollup = 'hourly_channel_metrics'
        union
        select p_rollup, channel_id, hour from analytics.mv_recent_performance
        where p_rollup = 'mv_recent_performance';
    elsif p_rollup = 'mv_historical_performance' then
        insert into analytics.fact_invalidation (rollup_name, channel_id, bucket)
        select p_rollup, channel_id, analytics.warehouse_day_start(analytics.warehouse_day(timestamp))
        from analytics.fact_video_performance
        union
        select p_rollup, channel_id, day from analytics.mv_historical_performance;
    else
        raise exception 'unknown rollup %', p_rollup
            using hint = 'one of hourly_channel_metrics, mv_recent_performance, '
                'mv_historical_performance, daily_revenue_summary';
    end if;
    get diagnostics v_count = row_count;
    return v_count;
end
$$;

-- The refresh functions of 0006, same results, bounded cost: 0006 joins the
-- bucket list to the fact table, and the planner hash-joins it on channel_id
-- alone, scanning every partition (cost grew with history). A LATERAL
-- subquery per bucket reads only that channel's hour or day through
-- idx_video_performance_channel_time, with run-time partition pruning.
create or replace function analytics.refresh_hourly_channel_metrics()
returns integer
language plpgsql
as $$
declare
    v_channels text [];
    v_buckets timestamptz [];
begin
    select channel_ids, buckets into v_channels, v_buckets
    from analytics.take_fact_invalidations('hourly_channel_metrics');

    delete from analytics.hourly_channel_metrics as m
    using unnest(v_channels, v_buckets) as b (channel_id, bucket)
    where m.channel_id = b.channel_id and m.hour = b.bucket;

    insert into analytics.hourly_channel_metrics
    select
        b.bucket,
        b.channel_id,
        a.videos_count,
        a.total_views,
        case when a.total_views > 0 then a.total_engagements::numeric / a.total_views end,
        a.revenue_cents / 100.0,
        a.cost_cents / 100.0,
        a.total_engagements
    from unnest(v_channels, v_buckets) as b (channel_id, bucket)
    cross join lateral (
        select
            count(distinct f.video_id) as videos_count,
            sum(f.views) as total_views,
            sum(f.likes::bigint + f.comments + f.shares) as total_engagements,
            sum(f.estimated_revenue_cents) as revenue_cents,
            sum(f.cost_cents) as cost_cents
        from analytics.fact_video_performance as f
        where f.channel_id = b.channel_id
            and f.timestamp >= b.bucket
            and f.timestamp < b.bucket + interval '1 hour'
    ) as a
    where a.videos_count > 0;
    return cardinality(v_buckets);
end
$$;

create or replace function analytics.refresh_mv_recent_performance()
returns integer
language plpgsql
as $$
declare
    v_channels text [];
    v_buckets timestamptz [];
begin
    select channel_ids, buckets into v_channels, v_buckets
    from analytics.take_fact_invalidations('mv_recent_performance');

    delete from analytics.mv_recent_performance as m
    using unnest(v_channels, v_buckets) as b (channel_id, bucket)
    where m.channel_id = b.channel_id and m.hour = b.bucket;

    insert into analytics.mv_recent_performance
    select
        b.bucket,
        b.channel_id,
        a.video_id,
        a.views,
        case when a.views > 0 then a.engagements::numeric / a.views end,
        a.revenue_cents,
        a.likes,
        a.comments,
        a.shares
    from unnest(v_channels, v_buckets) as b (channel_id, bucket)
    cross join lateral (
        select
            f.video_id,
            sum(f.views) as views,
            sum(f.likes::bigint + f.comments + f.shares) as engagements,
            sum(f.estimated_revenue_cents) as revenue_cents,
            sum(f.likes) as likes,
            sum(f.comments) as comments,
            sum(f.shares) as shares
        from analytics.fact_video_performance as f
        where f.channel_id = b.channel_id
            and f.timestamp >= b.bucket
            and f.timestamp < b.bucket + interval '1 hour'
        group by f.video_id
    ) as a;
    return cardinality(v_buckets);
end
$$;

create or replace function analytics.refresh_mv_historical_performance()
returns integer
language plpgsql
as $$
declare
    v_channels text [];
    v_buckets timestamptz [];
begin
    select channel_ids, buckets into v_channels, v_buckets
    from analytics.take_fact_invalidations('mv_historical_performance');

    delete from analytics.mv_historical_performance as m
    using unnest(v_channels, v_buckets) as b (channel_id, bucket)
    where m.channel_id = b.channel_id and m.day = b.bucket;

    insert into analytics.mv_historical_performance
    select
        b.bucket,
        b.channel_id,
        a.videos,
        a.views,
        case when a.views > 0 then a.total_engagements::numeric / a.views end,
        a.revenue_cents / 100.0,
        a.cost_cents / 100.0,
        a.total_engagements,
        a.watch_time_minutes
    from unnest(v_channels, v_buckets) as b (channel_id, bucket)
    cross join lateral (
        select
            count(distinct f.video_id) as videos,
            sum(f.views) as views,
            sum(f.likes::bigint + f.comments + f.shares) as total_engagements,
            sum(f.estimated_revenue_cents) as revenue_cents,
            sum(f.cost_cents) as cost_cents,
            sum(f.watch_time_minutes) as watch_time_minutes
        from analytics.fact_video_performance as f
        where f.channel_id = b.channel_id
            and f.timestamp >= b.bucket
            and f.timestamp < analytics.warehouse_day_start(analytics.warehouse_day(b.bucket) + 1)
    ) as a
    where a.videos > 0;
    return cardinality(v_buckets);
end
$$;

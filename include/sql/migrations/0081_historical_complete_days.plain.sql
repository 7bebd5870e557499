-- mv_historical_performance holds complete warehouse days only, as on TimescaleDB:
-- its refresh recomputes the invalidated days before p_before (default: the start
-- of the current warehouse day) and leaves later ones logged for a later refresh.
drop function if exists analytics.take_fact_invalidations(text);
drop function if exists analytics.refresh_mv_historical_performance();

-- Takes (and removes) the logged buckets of one rollup before p_before, under a
-- per-rollup lock.
create or replace function analytics.take_fact_invalidations(
    p_rollup text,
    p_before timestamptz default 'infinity',
    out channel_ids text[],
    out buckets timestamptz[]
)
language plpgsql
as $$
begin
    perform pg_advisory_xact_lock(hashtext('analytics.' || p_rollup));
    with consumed as (
        delete from analytics.fact_invalidation
        where rollup_name = p_rollup and bucket < p_before
        returning channel_id, bucket
    )
    select coalesce(array_agg(channel_id), '{}'), coalesce(array_agg(bucket), '{}')
    into channel_ids, buckets
    from (select distinct channel_id, bucket from consumed) as d;
end
$$;

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

-- requires: functions/take_fact_invalidations
-- Each bucket is read through a LATERAL subquery on idx_video_performance_channel_time
-- (with run-time partition pruning): joining the bucket list to the fact table let
-- the planner hash-join on channel_id alone and scan every partition.
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
        a.total_engagements,
        a.observed_views
    from unnest(v_channels, v_buckets) as b (channel_id, bucket)
    cross join lateral (
        select
            count(distinct f.video_id) as videos_count,
            sum(f.views) as total_views,
            sum(f.likes::bigint + f.comments + f.shares) as total_engagements,
            sum(f.estimated_revenue_cents) as revenue_cents,
            sum(f.cost_cents) as cost_cents,
            coalesce(sum(f.views) filter (where not f.daily_row), 0) as observed_views
        from analytics.fact_video_performance as f
        where f.channel_id = b.channel_id
            and f.timestamp >= b.bucket
            and f.timestamp < b.bucket + interval '1 hour'
    ) as a
    where a.videos_count > 0;
    return cardinality(v_buckets);
end
$$;

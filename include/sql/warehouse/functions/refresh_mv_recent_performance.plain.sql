-- requires: functions/take_fact_invalidations
-- Recomputes the logged (channel, hour) buckets, per video; returns how many.
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

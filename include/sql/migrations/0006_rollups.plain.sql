-- Plain PostgreSQL: rollups are tables kept current from an invalidation log
-- that statement-level triggers on the fact table fill, so hand-made SQL
-- corrections count too. A refresh recomputes exactly the logged buckets.
create table analytics.fact_invalidation (
    rollup_name text not null,
    channel_id varchar(50) not null,
    bucket timestamptz not null,
    logged_at timestamptz not null default now()
);

create index idx_fact_invalidation_rollup on analytics.fact_invalidation (rollup_name);

create table analytics.hourly_channel_metrics (
    hour timestamptz not null,
    channel_id varchar(50) not null,
    videos_count bigint not null,
    total_views numeric not null,
    avg_engagement_rate numeric,
    estimated_revenue numeric not null,
    total_cost numeric not null,
    total_engagements numeric not null,
    -- Views of observed hours only (daily rows left out): the hour-of-day heatmap.
    observed_views numeric not null,
    primary key (channel_id, hour)
);

create index idx_hourly_channel_metrics_hour on analytics.hourly_channel_metrics (hour);

create table analytics.mv_recent_performance (
    hour timestamptz not null,
    channel_id varchar(50) not null,
    video_id varchar(50) not null,
    views numeric not null,
    engagement_rate numeric,
    revenue_cents numeric not null,
    likes numeric not null,
    comments numeric not null,
    shares numeric not null,
    primary key (channel_id, hour, video_id)
);

create index idx_mv_recent_performance_hour on analytics.mv_recent_performance (hour, channel_id);

create table analytics.mv_historical_performance (
    day timestamptz not null,
    channel_id varchar(50) not null,
    videos bigint not null,
    views numeric not null,
    avg_engagement numeric,
    revenue numeric not null,
    total_cost numeric not null,
    total_engagements numeric not null,
    watch_time_minutes numeric not null,
    primary key (day, channel_id)
);

create or replace function analytics.log_fact_changes()
returns trigger
language plpgsql
as $$
begin
    if tg_op in ('INSERT', 'UPDATE') then
        insert into analytics.fact_invalidation (rollup_name, channel_id, bucket)
        select r.rollup_name, c.channel_id,
            case when r.daily
                then analytics.warehouse_day_start(analytics.warehouse_day(c.hour))
                else c.hour
            end
        from (select distinct channel_id, date_trunc('hour', timestamp, 'UTC') as hour
              from new_rows) as c
        cross join (values
            ('hourly_channel_metrics', false),
            ('mv_recent_performance', false),
            ('mv_historical_performance', true)
        ) as r (rollup_name, daily);
    end if;
    if tg_op in ('UPDATE', 'DELETE') then
        insert into analytics.fact_invalidation (rollup_name, channel_id, bucket)
        select r.rollup_name, c.channel_id,
            case when r.daily
                then analytics.warehouse_day_start(analytics.warehouse_day(c.hour))
                else c.hour
            end
        from (select distinct channel_id, date_trunc('hour', timestamp, 'UTC') as hour
              from old_rows) as c
        cross join (values
            ('hourly_channel_metrics', false),
            ('mv_recent_performance', false),
            ('mv_historical_performance', true)
        ) as r (rollup_name, daily);
    end if;
    if tg_op = 'TRUNCATE' then
        insert into analytics.fact_invalidation (rollup_name, channel_id, bucket)
        select 'hourly_channel_metrics', channel_id, hour from analytics.hourly_channel_metrics
        union all
        select distinct 'mv_recent_performance', channel_id, hour
        from analytics.mv_recent_performance
        union all
        select 'mv_historical_performance', channel_id, day
        from analytics.mv_historical_performance;
    end if;
    return null;
end
$$;

create trigger fact_changes_insert after insert on analytics.fact_video_performance
referencing new table as new_rows
for each statement execute function analytics.log_fact_changes();
create trigger fact_changes_update after update on analytics.fact_video_performance
referencing old table as old_rows new table as new_rows
for each statement execute function analytics.log_fact_changes();
create trigger fact_changes_delete after delete on analytics.fact_video_performance
referencing old table as old_rows
for each statement execute function analytics.log_fact_changes();
create trigger fact_changes_truncate after truncate on analytics.fact_video_performance
for each statement execute function analytics.log_fact_changes();

-- Takes (and removes) the logged buckets of one rollup, under a per-rollup lock.
create or replace function analytics.take_fact_invalidations(
    p_rollup text, out channel_ids text[], out buckets timestamptz[]
)
language plpgsql
as $$
begin
    perform pg_advisory_xact_lock(hashtext('analytics.' || p_rollup));
    with consumed as (
        delete from analytics.fact_invalidation
        where rollup_name = p_rollup
        returning channel_id, bucket
    )
    select coalesce(array_agg(channel_id), '{}'), coalesce(array_agg(bucket), '{}')
    into channel_ids, buckets
    from (select distinct channel_id, bucket from consumed) as d;
end
$$;

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

-- Spec §4, without pg_cron (Airflow schedules it) and with each rollup recomputed
-- only for its invalidated buckets.
create or replace function analytics.refresh_materialized_views()
returns void
language plpgsql
as $$
begin
    perform analytics.refresh_hourly_channel_metrics();
    perform analytics.refresh_mv_recent_performance();
    perform analytics.refresh_mv_historical_performance();
    perform analytics.refresh_daily_revenue_summary();
end
$$;

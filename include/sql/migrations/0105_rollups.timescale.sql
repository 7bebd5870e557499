-- TimescaleDB: every rollup of the fact table is a continuous aggregate, which
-- tracks its own invalidations (no triggers on the hypertable). No NOW() in the
-- definitions (KNOWN-DEFECTS 3): windows are applied when reading. A continuous
-- aggregate is table-like: a change to its definition is a new migration.
create materialized view analytics.hourly_channel_metrics
with (timescaledb.continuous, timescaledb.materialized_only = false) as
select
    public.time_bucket(interval '1 hour', timestamp) as hour,
    channel_id,
    count(distinct video_id) as videos_count,
    sum(views) as total_views,
    case
        when sum(views) > 0
            then sum(likes::bigint + comments + shares)::numeric / sum(views)
    end as avg_engagement_rate,
    sum(estimated_revenue_cents) / 100.0 as estimated_revenue,
    sum(cost_cents) / 100.0 as total_cost,
    sum(likes::bigint + comments + shares) as total_engagements,
    -- Views of observed hours only (daily rows left out): the hour-of-day heatmap.
    coalesce(sum(views) filter (where not daily_row), 0) as observed_views
from analytics.fact_video_performance
group by 1, channel_id
with no data;

create materialized view analytics.mv_recent_performance
with (timescaledb.continuous, timescaledb.materialized_only = false) as
select
    public.time_bucket(interval '1 hour', timestamp) as hour,
    channel_id,
    video_id,
    sum(views) as views,
    case
        when sum(views) > 0
            then sum(likes::bigint + comments + shares)::numeric / sum(views)
    end as engagement_rate,
    sum(estimated_revenue_cents) as revenue_cents,
    sum(likes) as likes,
    sum(comments) as comments,
    sum(shares) as shares
from analytics.fact_video_performance
group by 1, channel_id, video_id
with no data;

-- The daily aggregates are bucketed by the warehouse zone the deploy stored before
-- the migrations (a continuous aggregate needs it as a constant, hence the dynamic
-- statements). mv_historical_performance holds complete warehouse days only: the
-- refreshes materialize the days before the logical warehouse day, and real-time
-- aggregation would add the day in progress. mv_video_daily_performance (per video,
-- the spec queries' fast reads) is refreshed with it by the daily DAG.
do $do$
declare
    v_zone text := (
        select s.value from analytics.warehouse_settings as s where s.name = 'warehouse_tz'
    );
begin
    if v_zone is null then
        raise exception 'analytics.warehouse_settings holds no warehouse_tz'
            using hint = 'deploy through analytics_schema_deploy, which stores it first';
    end if;
    execute format($view$
        create materialized view analytics.mv_historical_performance
        with (timescaledb.continuous, timescaledb.materialized_only = true) as
        select
            public.time_bucket(interval '1 day', timestamp, %L) as day,
            channel_id,
            count(distinct video_id) as videos,
            sum(views) as views,
            case
                when sum(views) > 0
                    then sum(likes::bigint + comments + shares)::numeric / sum(views)
            end as avg_engagement,
            sum(estimated_revenue_cents) / 100.0 as revenue,
            sum(cost_cents) / 100.0 as total_cost,
            sum(likes::bigint + comments + shares) as total_engagements,
            sum(watch_time_minutes) as watch_time_minutes
        from analytics.fact_video_performance
        group by 1, channel_id
        with no data
    $view$, v_zone);
    execute format($view$
        create materialized view analytics.mv_video_daily_performance
        with (timescaledb.continuous, timescaledb.materialized_only = false) as
        select
            public.time_bucket(interval '1 day', timestamp, %L) as day,
            channel_id,
            video_id,
            count(*) as fact_rows,
            sum(views) as views,
            sum(likes::bigint + comments + shares) as engagements,
            sum(estimated_revenue_cents) as revenue_cents,
            sum(cost_cents) as cost_cents,
            sum(watch_time_minutes) as watch_time_minutes
        from analytics.fact_video_performance
        group by 1, channel_id, video_id
        with no data
    $view$, v_zone);
end
$do$;

-- Policies keep recent buckets current on their own; the refresh DAGs also refresh
-- explicitly (and in autocommit, as refresh_continuous_aggregate needs). The daily
-- aggregates' policies reach YTEMPIRE_RELOAD_WINDOW_DAYS back: the deploy's settings
-- step adds them (analytics.apply_warehouse_settings).
select public.add_continuous_aggregate_policy(
    'analytics.hourly_channel_metrics',
    start_offset => interval '3 days',
    end_offset => interval '1 hour',
    schedule_interval => interval '30 minutes'
);

select public.add_continuous_aggregate_policy(
    'analytics.mv_recent_performance',
    start_offset => interval '3 days',
    end_offset => interval '1 hour',
    schedule_interval => interval '1 hour'
);

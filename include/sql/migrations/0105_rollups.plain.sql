-- Plain PostgreSQL: the rollups of the fact table are tables kept current from an
-- invalidation log that statement-level triggers on the fact table fill
-- (analytics.log_fact_changes), so hand-made SQL corrections count too. A refresh
-- recomputes exactly the logged buckets (analytics.refresh_<rollup>).
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

-- Complete warehouse days only (refresh_mv_historical_performance).
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

-- Per video and warehouse day, refreshed with mv_historical_performance for the same
-- logged (channel, day) buckets: the spec queries' fast reads.
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

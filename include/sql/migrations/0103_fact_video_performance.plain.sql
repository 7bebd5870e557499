-- Keyed on (video_id, timestamp) (KNOWN-DEFECTS 2); one row per video and UTC hour,
-- every metric an increment within that hour.
create table analytics.fact_video_performance (
    id bigserial,
    video_id varchar(50) not null,
    channel_id varchar(50) not null,
    timestamp timestamptz not null,
    views bigint not null default 0,
    likes integer not null default 0,
    dislikes integer not null default 0,
    comments integer not null default 0,
    shares integer not null default 0,
    watch_time_minutes numeric(12, 2) not null default 0,
    average_view_duration_seconds numeric(10, 2) not null default 0,
    engagement_rate numeric(16, 4) generated always as (
        case
            when views > 0
                then round((likes::bigint + comments + shares)::numeric / views, 4)
        end
    ) stored,
    estimated_revenue_cents integer not null default 0,
    actual_revenue_cents integer not null default 0,
    cost_cents integer not null default 0,
    -- A row the daily load created for a video with no observed hour that day: it holds
    -- a day's figures at the day's first hour, so hour-of-day analyses leave it out.
    daily_row boolean not null default false,
    created_at timestamptz default now(),
    updated_at timestamptz default now(),
    primary key (video_id, timestamp),
    constraint fact_hour_start check (extract(epoch from timestamp) % 3600 = 0)
) partition by range (timestamp);

-- Monthly partitions are created by analytics.ensure_fact_partitions; rows outside
-- every monthly partition land here, and the 3 AM DAG moves them out.
create table analytics.fact_video_performance_default
partition of analytics.fact_video_performance default;

create index idx_video_performance_channel_time
on analytics.fact_video_performance (channel_id, timestamp desc);

-- max(timestamp) (freshness, every hour) and the 24-hour window of the missing-data
-- check would otherwise scan every partition. Hypertables have this index already.
create index idx_fact_video_performance_time
on analytics.fact_video_performance (timestamp desc);

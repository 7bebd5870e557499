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

-- Rows outside every monthly partition land here; the 3 AM DAG moves them out.
create table analytics.fact_video_performance_default
partition of analytics.fact_video_performance default;

create index idx_video_performance_channel_time
on analytics.fact_video_performance (channel_id, timestamp desc);

-- Monthly (UTC) partition for the month containing p_month. Rows already in the
-- DEFAULT partition for that month are moved into the new partition.
create or replace function analytics.ensure_fact_partition(p_month date)
returns boolean
language plpgsql
as $$
declare
    v_from timestamptz := date_trunc('month', p_month)::timestamp at time zone 'UTC';
    v_to timestamptz := (date_trunc('month', p_month) + interval '1 month')::timestamp
        at time zone 'UTC';
    v_name text := 'fact_video_performance_' || to_char(p_month, 'YYYY_MM');
begin
    if to_regclass('analytics.' || v_name) is not null then
        return false;
    end if;
    lock table analytics.fact_video_performance in share row exclusive mode;
    create temp table stray_fact_rows on commit drop as
    select * from analytics.fact_video_performance_default
    where timestamp >= v_from and timestamp < v_to;
    delete from analytics.fact_video_performance_default
    where timestamp >= v_from and timestamp < v_to;
    execute format(
        'create table analytics.%I partition of analytics.fact_video_performance '
        'for values from (%L) to (%L)',
        v_name, v_from, v_to
    );
    insert into analytics.fact_video_performance (
        id, video_id, channel_id, timestamp, views, likes, dislikes, comments, shares,
        watch_time_minutes, average_view_duration_seconds, estimated_revenue_cents,
        actual_revenue_cents, cost_cents, daily_row, created_at, updated_at
    )
    select
        id, video_id, channel_id, timestamp, views, likes, dislikes, comments, shares,
        watch_time_minutes, average_view_duration_seconds, estimated_revenue_cents,
        actual_revenue_cents, cost_cents, daily_row, created_at, updated_at
    from stray_fact_rows;
    drop table stray_fact_rows;
    return true;
end
$$;

-- Raw lifetime counters, one row per video per collected hour.
create table analytics.video_stats_snapshot (
    video_id varchar(50) not null,
    channel_id varchar(50) not null,
    snapshot_hour timestamptz not null,
    view_count bigint not null,
    like_count bigint,
    comment_count bigint,
    collected_at timestamptz not null default now(),
    run_id text,
    primary key (video_id, snapshot_hour)
);

create index idx_snapshot_hour on analytics.video_stats_snapshot (snapshot_hour);
-- The per-channel "is a later hour already collected" test of the hourly collector.
create index idx_snapshot_channel_hour
on analytics.video_stats_snapshot (channel_id, snapshot_hour);

-- YouTube Analytics figures exactly as sent, one row per video and YouTube day.
create table analytics.yt_video_daily (
    video_id varchar(50) not null,
    day date not null,
    channel_id varchar(50) not null,
    views bigint not null,
    likes bigint not null,
    dislikes bigint not null,
    comments bigint not null,
    shares bigint not null,
    estimated_minutes_watched numeric not null,
    average_view_duration numeric not null,
    estimated_revenue numeric,
    estimated_ad_revenue numeric,
    loaded_at timestamptz not null default now(),
    run_id text,
    primary key (video_id, day)
);

create index idx_yt_video_daily_channel_day on analytics.yt_video_daily (channel_id, day);

-- The channel's own total per day (dimensions=day), to catch videos the loader missed.
create table analytics.yt_channel_daily (
    channel_id varchar(50) not null,
    day date not null,
    views bigint not null,
    estimated_minutes_watched numeric,
    estimated_revenue numeric,
    estimated_ad_revenue numeric,
    loaded_at timestamptz not null default now(),
    run_id text,
    primary key (channel_id, day)
);

create table analytics.load_quarantine (
    id bigserial primary key,
    source text not null,
    reason text not null,
    payload jsonb not null,
    channel_id varchar(50),
    video_id varchar(50),
    day date,
    run_id text,
    quarantined_at timestamptz not null default now()
);

create index idx_load_quarantine_source on analytics.load_quarantine (source, quarantined_at);
-- The loads replace the quarantine rows of each channel-day they re-load.
create index idx_load_quarantine_channel_day on analytics.load_quarantine (
    source, channel_id, day
);

-- A class (freshness, reconciliation, ...) has several checks (check_name); a run
-- replaces its own rows check by check.
create table analytics.quality_check_results (
    id bigserial primary key,
    run_id text not null,
    logical_time timestamptz not null,
    check_class text not null,
    check_key text not null,
    status text not null,
    details jsonb not null default '{}',
    checked_at timestamptz not null default now(),
    check_name text not null
);

create index idx_quality_results_class_time on analytics.quality_check_results (
    check_class, logical_time
);
create index idx_quality_results_run on analytics.quality_check_results (
    run_id, check_name
);

-- One row per check class that has ever sent a message. `condition` is the
-- sorted set of alerting [check_name, check_key, status] triples last sent;
-- times are the logical times of runs, never the wall clock.
create table analytics.quality_alert_state (
    check_class text primary key,
    alerting boolean not null,
    condition jsonb not null default '[]',
    episode_started_at timestamptz,
    last_sent_at timestamptz not null,
    last_message_kind text not null check (
        last_message_kind in ('alert', 'changed', 'reminder', 'recovery')
    ),
    last_run_id text not null,
    evaluated_at timestamptz not null,
    updated_at timestamptz not null default now()
);

-- Every message sent, for audit and for Grafana annotations.
create table analytics.quality_alert_log (
    id bigserial primary key,
    check_class text not null,
    message_kind text not null,
    run_id text not null,
    logical_time timestamptz not null,
    condition jsonb not null,
    rows_total integer not null,
    sent_at timestamptz not null default now()
);

create index idx_quality_alert_log_class_time on analytics.quality_alert_log (
    check_class, logical_time
);

-- Spec §6, with room for pipeline steps (kind = 'step') and their attempts.
create table analytics.query_performance_log (
    id bigserial primary key,
    query_name varchar(100),
    execution_time_ms bigint,
    rows_returned bigint,
    timestamp timestamptz default now(),
    success boolean default true,
    error_message text,
    kind text not null default 'query' check (kind in ('query', 'step')),
    run_id text,
    try_number integer
);

create index idx_query_performance_log_time on analytics.query_performance_log (timestamp);

-- Budgets for pipeline steps; a name matches when it is LIKE the pattern.
create table analytics.step_budgets (
    name_pattern text primary key,
    warning_ms bigint not null,
    critical_ms bigint not null
);

insert into analytics.step_budgets (name_pattern, warning_ms, critical_ms)
values ('%', 60000, 300000);

-- One row per (video, YouTube day). Money in integer cents; ROI is NULL without
-- cost (KNOWN-DEFECTS 12) and unbounded, so a huge ratio never fails an insert.
create table analytics.revenue_attribution (
    id bigserial primary key,
    video_id varchar(50) not null,
    channel_id varchar(50) not null,
    revenue_date date not null,
    ad_revenue_cents integer not null default 0,
    sponsorship_revenue_cents integer not null default 0,
    affiliate_revenue_cents integer not null default 0,
    other_revenue_cents integer not null default 0,
    ai_cost_cents integer not null default 0,
    api_cost_cents integer not null default 0,
    infrastructure_cost_cents integer not null default 0,
    total_revenue_cents bigint generated always as (
        ad_revenue_cents::bigint + sponsorship_revenue_cents
        + affiliate_revenue_cents + other_revenue_cents
    ) stored,
    total_cost_cents bigint generated always as (
        ai_cost_cents::bigint + api_cost_cents + infrastructure_cost_cents
    ) stored,
    profit_cents bigint generated always as (
        (
            ad_revenue_cents::bigint + sponsorship_revenue_cents
            + affiliate_revenue_cents + other_revenue_cents
        )
        - (ai_cost_cents::bigint + api_cost_cents + infrastructure_cost_cents)
    ) stored,
    roi_percentage numeric generated always as (
        case
            when (ai_cost_cents::bigint + api_cost_cents + infrastructure_cost_cents) > 0
                then round(
                    100.0 * (
                        (
                            ad_revenue_cents::bigint + sponsorship_revenue_cents
                            + affiliate_revenue_cents + other_revenue_cents
                        )
                        - (ai_cost_cents::bigint + api_cost_cents + infrastructure_cost_cents)
                    )
                    / (ai_cost_cents::bigint + api_cost_cents + infrastructure_cost_cents),
                    2
                )
        end
    ) stored,
    created_at timestamptz default now(),
    updated_at timestamptz default now(),
    unique (video_id, revenue_date)
);

create index idx_revenue_channel_date on analytics.revenue_attribution (channel_id, revenue_date);
create index idx_revenue_date_channel
on analytics.revenue_attribution (revenue_date desc, channel_id, total_revenue_cents);

-- Maintained incrementally on both paths: rows for the days in revenue_invalidation.
create table analytics.daily_revenue_summary (
    revenue_date date primary key,
    active_channels bigint not null,
    monetized_videos bigint not null,
    total_revenue numeric not null,
    total_cost numeric not null,
    total_profit numeric not null,
    avg_roi numeric,
    median_roi double precision,
    pooled_roi numeric
);

create table analytics.revenue_invalidation (
    revenue_date date not null,
    logged_at timestamptz not null default now()
);

create index idx_revenue_invalidation_date on analytics.revenue_invalidation (revenue_date);

-- Channel-only costs of a (channel, day) on which none of the channel's videos
-- has a fact row: reported here, never lost; re-spread when the day is re-attributed.
create table analytics.unallocated_cost (
    channel_id varchar(50) not null,
    revenue_date date not null,
    ai_cost_cents bigint not null default 0,
    api_cost_cents bigint not null default 0,
    infrastructure_cost_cents bigint not null default 0,
    total_cost_cents bigint generated always as (
        ai_cost_cents + api_cost_cents + infrastructure_cost_cents
    ) stored,
    cost_rows integer not null,
    reason text not null,
    updated_at timestamptz not null default now(),
    primary key (channel_id, revenue_date)
);

create index idx_unallocated_cost_date on analytics.unallocated_cost (revenue_date);

-- (video, channel, day) units whose cost or partner revenue changed. The load
-- resolves each to (channel of the video in dim_video, else the row's channel,
-- day), re-attributes it and deletes the entries it consumed. Entries that
-- resolve to no channel wait here until the video reaches dim_video.
create table analytics.revenue_input_invalidation (
    id bigserial primary key,
    source text not null,
    video_id varchar(50),
    channel_id varchar(50),
    revenue_date date not null,
    logged_at timestamptz not null default now()
);

create index idx_revenue_input_invalidation_channel
on analytics.revenue_input_invalidation (channel_id);
create index idx_revenue_input_invalidation_video
on analytics.revenue_input_invalidation (video_id);

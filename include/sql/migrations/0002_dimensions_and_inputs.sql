create table analytics.dim_channel (
    channel_id varchar(50) primary key,
    channel_name varchar(255) not null,
    channel_handle varchar(100),
    niche varchar(100),
    subscriber_count integer default 0,
    total_video_count integer default 0,
    monetization_enabled boolean default false,
    created_date date,
    status varchar(20) default 'active',
    metadata jsonb default '{}',
    uploads_playlist_id varchar(50),
    last_uploads_sync_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz default now()
);

create table analytics.dim_video (
    video_id varchar(50) primary key,
    channel_id varchar(50) references analytics.dim_channel (channel_id),
    title text not null,
    description text,
    duration_seconds integer,
    publish_date timestamptz,
    video_type varchar(50),
    thumbnail_url text,
    tags text[],
    category varchar(100),
    metadata jsonb default '{}',
    is_available boolean not null default true,
    unavailable_since timestamptz,
    created_at timestamptz default now(),
    updated_at timestamptz not null default now()
);

create index idx_dim_video_channel on analytics.dim_video (channel_id);

-- Written by other systems; the single source of costs (KNOWN-DEFECTS 13).
create table analytics.cost_tracking (
    id bigserial primary key,
    video_id varchar(50),
    channel_id varchar(50),
    cost_type varchar(50) not null,
    cost_cents integer not null,
    timestamp timestamptz default now(),
    details jsonb default '{}',
    recorded_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint cost_tracking_has_owner check (video_id is not null or channel_id is not null)
);

create index idx_cost_tracking_time on analytics.cost_tracking (timestamp);
create index idx_cost_tracking_video on analytics.cost_tracking (video_id, timestamp);
create index idx_cost_tracking_channel on analytics.cost_tracking (channel_id, timestamp);

create table analytics.partner_revenue (
    id bigserial primary key,
    video_id varchar(50) not null,
    revenue_date date not null,
    kind text not null check (kind in ('sponsorship', 'affiliate')),
    amount_cents integer not null,
    source text not null,
    external_ref text not null unique,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create index idx_partner_revenue_video_day on analytics.partner_revenue (video_id, revenue_date);

create trigger dim_channel_updated_at before update on analytics.dim_channel
for each row execute function analytics.set_updated_at();
create trigger dim_video_updated_at before update on analytics.dim_video
for each row execute function analytics.set_updated_at();
create trigger cost_tracking_updated_at before update on analytics.cost_tracking
for each row execute function analytics.set_updated_at();
create trigger partner_revenue_updated_at before update on analytics.partner_revenue
for each row execute function analytics.set_updated_at();

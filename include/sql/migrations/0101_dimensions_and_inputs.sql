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

-- category is YouTube's category name, category_id the id as sent beside it.
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
    updated_at timestamptz not null default now(),
    -- Decided once, when an uploads sync discovers the video
    -- (docs/youtube-hourly-collector.md).
    starts_from_zero boolean not null default false,
    category_id varchar(10)
);

comment on column analytics.dim_video.starts_from_zero is
'Published after the channel''s previous uploads sync: the first snapshot counts in full.';

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
-- The revenue load reads one day's partner revenue per channel and day.
create index idx_partner_revenue_date on analytics.partner_revenue (revenue_date);

-- videoCategories.list answers, cached: asked (1 unit) only for ids not yet here.
create table analytics.youtube_video_category (
    category_id varchar(10) primary key,
    title varchar(100) not null,
    fetched_at timestamptz not null default now()
);

-- The content system's label of the videos it made (an input other systems write,
-- like cost_tracking): the video need not be in dim_video yet.
create table analytics.content_video_type (
    video_id varchar(50) primary key,
    video_type varchar(50) not null,
    source varchar(100),
    labelled_at timestamptz not null default now()
);

-- video_type of videos the content system did not label, by YouTube category name.
-- Operators edit it; the next uploads sync applies the change.
create table analytics.video_type_by_category (
    category varchar(100) primary key,
    video_type varchar(50) not null,
    updated_at timestamptz not null default now()
);

insert into analytics.video_type_by_category (category, video_type)
values
('Film & Animation', 'entertainment'),
('Autos & Vehicles', 'entertainment'),
('Music', 'entertainment'),
('Pets & Animals', 'entertainment'),
('Sports', 'entertainment'),
('Travel & Events', 'entertainment'),
('Gaming', 'entertainment'),
('People & Blogs', 'entertainment'),
('Comedy', 'entertainment'),
('Entertainment', 'entertainment'),
('News & Politics', 'news'),
('Howto & Style', 'educational'),
('Education', 'educational'),
('Science & Technology', 'educational'),
('Nonprofits & Activism', 'news');

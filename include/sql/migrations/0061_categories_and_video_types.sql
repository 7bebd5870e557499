-- Video categories and YTEMPIRE's video types.
-- dim_video.category is YouTube's category name; the id as sent is kept beside it.
alter table analytics.dim_video add column if not exists category_id varchar(10);

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
('Nonprofits & Activism', 'news')
on conflict (category) do nothing;

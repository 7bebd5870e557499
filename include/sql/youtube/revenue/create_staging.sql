-- Staging for one channel and day, filled by COPY and merged by the next steps.
create temp table stage_yt_channel_daily (
    views bigint not null,
    estimated_minutes_watched numeric,
    estimated_revenue numeric,
    estimated_ad_revenue numeric
) on commit drop;

create temp table stage_yt_video_daily (
    video_id varchar(50) primary key,
    views bigint not null,
    likes bigint not null,
    dislikes bigint not null,
    comments bigint not null,
    shares bigint not null,
    estimated_minutes_watched numeric not null,
    average_view_duration numeric not null,
    estimated_revenue numeric,
    estimated_ad_revenue numeric
) on commit drop;

-- Per video and warehouse day across channels (a video that changed channel within
-- a day has one row, not one per channel): Query 2 picks the videos with a day above
-- its threshold here, through the index on views, before it reads their series.
-- Refreshed with mv_video_daily_performance, for the days of the buckets it
-- recomputed (refresh_mv_historical_performance).
create table analytics.mv_video_daily_views (
    day timestamptz not null,
    video_id varchar(50) not null,
    views numeric not null,
    primary key (day, video_id)
);

create index idx_mv_video_daily_views_views
on analytics.mv_video_daily_views (views, day) include (video_id);

-- A few videos' daily rows (Query 2's candidates) without the channel.
create index idx_mv_video_daily_performance_video
on analytics.mv_video_daily_performance (video_id, day);

insert into analytics.mv_video_daily_views (day, video_id, views)
select
    day,
    video_id,
    sum(views) as views
from analytics.mv_video_daily_performance
group by day, video_id;

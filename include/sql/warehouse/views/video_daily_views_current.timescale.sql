-- Per video and warehouse day across channels, under the same name as on the plain
-- path: real-time aggregation answers the buckets not yet materialized.
create or replace view analytics.video_daily_views_current as
select
    day,
    video_id,
    views
from analytics.mv_video_daily_views;

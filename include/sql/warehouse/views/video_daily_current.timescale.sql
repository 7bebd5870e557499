-- Per video and warehouse day, under the same name as on the plain path: real-time
-- aggregation answers the buckets not yet materialized.
create or replace view analytics.video_daily_current as
select
    day,
    channel_id,
    video_id,
    fact_rows,
    views,
    engagements,
    revenue_cents::numeric as revenue_cents,
    cost_cents::numeric as cost_cents,
    watch_time_minutes
from analytics.mv_video_daily_performance;

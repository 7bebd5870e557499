-- requires: views/pending_daily_buckets, views/video_daily_current
-- Per video and warehouse day across channels: refreshed days from the rollup, a day
-- with any bucket still pending from video_daily_current (which reads the pending
-- buckets from the fact table), summed over the video's channels that day (read
-- day by day: the day reaches the union inside video_daily_current as an index
-- condition).
create or replace view analytics.video_daily_views_current as
select
    m.day,
    m.video_id,
    m.views
from analytics.mv_video_daily_views as m
where m.day not in (select p.day from analytics.pending_daily_buckets as p)
union all
select
    d.day,
    v.video_id,
    sum(v.views) as views
from (select distinct p.day from analytics.pending_daily_buckets as p) as d
cross join
    lateral (
        select
            c.video_id,
            c.views
        from analytics.video_daily_current as c
        where c.day = d.day
    ) as v
group by d.day, v.video_id;

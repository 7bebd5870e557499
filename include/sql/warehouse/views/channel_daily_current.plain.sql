-- requires: views/pending_daily_buckets, functions/warehouse_day, functions/warehouse_day_start
-- Per channel and warehouse day, as video_daily_current: refreshed buckets from
-- mv_historical_performance, pending ones from the fact table.
create or replace view analytics.channel_daily_current as
select
    h.day,
    h.channel_id,
    h.videos,
    h.views,
    h.revenue,
    h.total_cost,
    h.total_engagements,
    h.watch_time_minutes
from analytics.mv_historical_performance as h
where
    (h.channel_id, h.day) not in (
        select
            p.channel_id,
            p.day
        from analytics.pending_daily_buckets as p
    )
union all
select
    p.day,
    p.channel_id,
    a.videos,
    a.views,
    a.revenue,
    a.total_cost,
    a.total_engagements,
    a.watch_time_minutes
from analytics.pending_daily_buckets as p
cross join
    lateral (
        select
            count(distinct f.video_id) as videos,
            sum(f.views) as views,
            sum(f.estimated_revenue_cents) / 100.0 as revenue,
            sum(f.cost_cents) / 100.0 as total_cost,
            sum(f.likes::bigint + f.comments + f.shares) as total_engagements,
            sum(f.watch_time_minutes) as watch_time_minutes
        from analytics.fact_video_performance as f
        where
            f.channel_id = p.channel_id
            and f.timestamp >= p.day
            and f.timestamp < analytics.warehouse_day_start(analytics.warehouse_day(p.day) + 1)
    ) as a
where a.videos > 0;

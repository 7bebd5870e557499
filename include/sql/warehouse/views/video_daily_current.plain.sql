-- requires: views/pending_daily_buckets, functions/warehouse_day, functions/warehouse_day_start
-- Per video and warehouse day: refreshed buckets from the rollup, pending ones
-- from the fact table (what real-time aggregation does on the TimescaleDB path).
-- NOT IN (both columns are NOT NULL) is a hashed subplan: NOT EXISTS was planned as
-- a nested loop over the log for every rollup row when the log's statistics were old.
create or replace view analytics.video_daily_current as
select
    m.day,
    m.channel_id,
    m.video_id,
    m.fact_rows,
    m.views,
    m.engagements,
    m.revenue_cents,
    m.cost_cents,
    m.watch_time_minutes
from analytics.mv_video_daily_performance as m
where
    (m.channel_id, m.day) not in (
        select
            p.channel_id,
            p.day
        from analytics.pending_daily_buckets as p
    )
union all
select
    p.day,
    p.channel_id,
    a.video_id,
    a.fact_rows,
    a.views,
    a.engagements,
    a.revenue_cents,
    a.cost_cents,
    a.watch_time_minutes
from analytics.pending_daily_buckets as p
cross join lateral (
    select
        f.video_id,
        count(*) as fact_rows,
        sum(f.views) as views,
        sum(f.likes::bigint + f.comments + f.shares) as engagements,
        sum(f.estimated_revenue_cents)::numeric as revenue_cents,
        sum(f.cost_cents)::numeric as cost_cents,
        sum(f.watch_time_minutes) as watch_time_minutes
    from analytics.fact_video_performance as f
    where
        f.channel_id = p.channel_id
        and f.timestamp >= p.day
        and f.timestamp < analytics.warehouse_day_start(analytics.warehouse_day(p.day) + 1)
    group by f.video_id
) as a;

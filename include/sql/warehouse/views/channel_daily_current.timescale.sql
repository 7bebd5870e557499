-- requires: functions/warehouse_tz
-- Per channel and warehouse day. mv_historical_performance is materialized-only
-- (complete days): the days from its watermark on are read from the fact table
-- here, which is what real-time aggregation would do. The watermark is written as
-- real-time aggregates write it (the function of the aggregate's materialization
-- id, a constant here), so that chunks before it are excluded when the query
-- starts; a watermark joined in from a CTE left the planner a generic estimate and
-- a scan of every chunk.
do $do$
begin
execute format($view$
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
    h.day < coalesce(
        _timescaledb_functions.to_timestamp(_timescaledb_functions.cagg_watermark(%1$s)),
        '-infinity'
    )
union all
select
    public.time_bucket(interval '1 day', f.timestamp, %2$L) as day,
    f.channel_id,
    count(distinct f.video_id) as videos,
    sum(f.views) as views,
    sum(f.estimated_revenue_cents) / 100.0 as revenue,
    sum(f.cost_cents) / 100.0 as total_cost,
    sum(f.likes::bigint + f.comments + f.shares) as total_engagements,
    sum(f.watch_time_minutes) as watch_time_minutes
from analytics.fact_video_performance as f
where
    f.timestamp >= coalesce(
        _timescaledb_functions.to_timestamp(_timescaledb_functions.cagg_watermark(%1$s)),
        '-infinity'
    )
group by 1, f.channel_id
$view$, (
    select c.mat_hypertable_id
    from _timescaledb_catalog.continuous_agg as c
    where
        c.user_view_schema = 'analytics'
        and c.user_view_name = 'mv_historical_performance'
), analytics.warehouse_tz());
end
$do$;

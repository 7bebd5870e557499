-- Fast reads (issue 12): a per-video continuous aggregate by warehouse day (bucketed
-- in the warehouse zone stored by the deploy's settings step, as
-- mv_historical_performance), refreshed with mv_historical_performance by the
-- daily DAG (ytempire.rollups). The "current" views give the reads one name on
-- both paths; real-time aggregation answers the buckets not yet materialized.
do $do$
begin
execute format($view$
create materialized view analytics.mv_video_daily_performance
with (timescaledb.continuous, timescaledb.materialized_only = false) as
select
    public.time_bucket(interval '1 day', timestamp, %L) as day,
    channel_id,
    video_id,
    count(*) as fact_rows,
    sum(views) as views,
    sum(likes::bigint + comments + shares) as engagements,
    sum(estimated_revenue_cents) as revenue_cents,
    sum(cost_cents) as cost_cents,
    sum(watch_time_minutes) as watch_time_minutes
from analytics.fact_video_performance
group by 1, channel_id, video_id
with no data
$view$, analytics.warehouse_tz());
end
$do$;

grant select on analytics.mv_video_daily_performance to ytempire_reader, ytempire_loader;

create view analytics.video_daily_current as
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

-- mv_historical_performance is materialized-only (complete days, migration 0081):
-- the days from its watermark on are read from the fact table here, which is what
-- real-time aggregation would do. The watermark is written as real-time aggregates
-- write it (the function of the aggregate's materialization id, a constant here), so
-- that chunks before it are excluded when the query starts; a watermark joined in
-- from a CTE left the planner a generic estimate and a scan of every chunk.
do $do$
begin
execute format($view$
create view analytics.channel_daily_current as
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

-- As in migration 0082, with the same policy for the per-video aggregate.
create or replace function analytics.apply_warehouse_settings(p_changed text[])
returns text[]
language plpgsql
as $$
declare
    v_compress_after interval := make_interval(days => (
        select s.value::integer from analytics.warehouse_settings as s
        where s.name = 'compress_after_days'
    ));
    v_reload_window interval := make_interval(days => (
        select s.value::integer from analytics.warehouse_settings as s
        where s.name = 'reload_window_days'
    ));
    v_cagg text;
begin
    perform public.remove_compression_policy(
        'analytics.fact_video_performance', if_exists => true
    );
    perform public.add_compression_policy('analytics.fact_video_performance', v_compress_after);
    foreach v_cagg in array array[
        'analytics.mv_historical_performance', 'analytics.mv_video_daily_performance'
    ] loop
        perform public.remove_continuous_aggregate_policy(v_cagg, if_not_exists => true);
        perform public.add_continuous_aggregate_policy(
            v_cagg,
            start_offset => v_reload_window,
            end_offset => interval '1 hour',
            schedule_interval => interval '1 day'
        );
    end loop;
    return array[
        format('compression after %s', v_compress_after),
        format('mv_historical_performance and mv_video_daily_performance policies from %s back',
            v_reload_window)
    ];
end
$$;

-- Per video and warehouse day across channels (a video that changed channel within
-- a day has one row, not one per channel): Query 2 picks the videos with a day above
-- its threshold here, through the index on views, before it reads their series. A
-- continuous aggregate bucketed like mv_video_daily_performance (the zone the deploy
-- stored), refreshed with it by the daily DAG; its policy is added by the settings
-- step (analytics.apply_warehouse_settings).
do $do$
begin
    execute format($view$
        create materialized view analytics.mv_video_daily_views
        with (timescaledb.continuous, timescaledb.materialized_only = false) as
        select
            public.time_bucket(interval '1 day', timestamp, %L) as day,
            video_id,
            sum(views) as views
        from analytics.fact_video_performance
        group by 1, video_id
        with no data
    $view$, (
        select s.value from analytics.warehouse_settings as s where s.name = 'warehouse_tz'
    ));
end
$do$;

create index idx_mv_video_daily_views_views
on analytics.mv_video_daily_views (views, day) include (video_id);

-- A few videos' daily rows (Query 2's candidates) without the channel.
create index idx_mv_video_daily_performance_video
on analytics.mv_video_daily_performance (video_id, day);

-- The loader refreshes the continuous aggregates it owns (0111 says why), this one too.
grant create on schema analytics, _timescaledb_internal to ytempire_loader;
alter materialized view analytics.mv_video_daily_views owner to ytempire_loader;
revoke create on schema analytics, _timescaledb_internal from ytempire_loader;
grant select on analytics.mv_video_daily_views to ytempire_reader;

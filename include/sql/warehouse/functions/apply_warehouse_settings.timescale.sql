-- What the stored settings derive, re-applied by the deploy's settings step in the
-- transaction that stores them (p_changed: the settings whose stored value that
-- transaction changed). TimescaleDB: the policies that follow settings are
-- re-applied from analytics.warehouse_settings on every deploy. A change of the
-- warehouse zone is refused by the deploy before anything is stored (the daily
-- continuous aggregates are bucketed by the zone they were created with).
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
        'analytics.mv_historical_performance', 'analytics.mv_video_daily_performance',
        'analytics.mv_video_daily_views'
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
        format('mv_historical_performance, mv_video_daily_performance and mv_video_daily_views '
            'policies from %s back', v_reload_window)
    ];
end
$$;

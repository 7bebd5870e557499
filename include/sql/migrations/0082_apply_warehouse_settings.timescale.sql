-- The deploy's settings step calls this after the migrations (p_changed: the
-- settings whose stored value changed). TimescaleDB: the policies that follow
-- settings are re-applied from analytics.warehouse_settings on every deploy. A
-- change of the warehouse zone is refused by the settings step before anything
-- is stored (the continuous aggregate is bucketed by the zone it was created with).
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
begin
    perform public.remove_compression_policy(
        'analytics.fact_video_performance', if_exists => true
    );
    perform public.add_compression_policy('analytics.fact_video_performance', v_compress_after);
    perform public.remove_continuous_aggregate_policy(
        'analytics.mv_historical_performance', if_not_exists => true
    );
    perform public.add_continuous_aggregate_policy(
        'analytics.mv_historical_performance',
        start_offset => v_reload_window,
        end_offset => interval '1 hour',
        schedule_interval => interval '1 day'
    );
    return array[
        format('compression after %s', v_compress_after),
        format('mv_historical_performance policy from %s back', v_reload_window)
    ];
end
$$;

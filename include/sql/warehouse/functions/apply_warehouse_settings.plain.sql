-- requires: functions/rebuild_rollup
-- What the stored settings derive, re-applied by the deploy's settings step in the
-- transaction that stores them (p_changed: the settings whose stored value that
-- transaction changed), so a failed or killed deploy never stores a setting without
-- applying it. Plain path: a new warehouse zone moves every warehouse-day bucket, so
-- the daily rollups are emptied (their days and their logged buckets start at the
-- old zone's midnight) and recomputed from scratch at their next refresh.
create or replace function analytics.apply_warehouse_settings(p_changed text[])
returns text[]
language plpgsql
as $$
begin
    if 'warehouse_tz' = any(p_changed) then
        delete from analytics.fact_invalidation
        where rollup_name = 'mv_historical_performance';
        delete from analytics.mv_historical_performance;
        delete from analytics.mv_video_daily_performance;
        delete from analytics.mv_video_daily_views;
        perform analytics.rebuild_rollup('mv_historical_performance');
        return array[
            'mv_historical_performance, mv_video_daily_performance and '
            || 'mv_video_daily_views emptied: '
            || 'their next refresh recomputes them in the new zone'
        ];
    end if;
    return '{}';
end
$$;

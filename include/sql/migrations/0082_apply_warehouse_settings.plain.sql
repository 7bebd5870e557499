-- The deploy's settings step calls this after the migrations, with the settings
-- whose stored value changed. Plain path: a new warehouse zone moves every
-- warehouse-day bucket, so mv_historical_performance is emptied (its days and
-- its logged buckets start at the old zone's midnight) and recomputed from
-- scratch at its next refresh.
create or replace function analytics.apply_warehouse_settings(p_changed text[])
returns text[]
language plpgsql
as $$
begin
    if 'warehouse_tz' = any(p_changed) then
        delete from analytics.fact_invalidation
        where rollup_name = 'mv_historical_performance';
        delete from analytics.mv_historical_performance;
        perform analytics.rebuild_rollup('mv_historical_performance');
        return array['mv_historical_performance emptied: its next refresh recomputes it in the new zone'];
    end if;
    return '{}';
end
$$;

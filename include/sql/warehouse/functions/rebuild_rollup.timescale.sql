-- Maintenance: marks every bucket of daily_revenue_summary as invalid, so that
-- its next refresh recomputes it from scratch. The continuous aggregates are
-- rebuilt by refresh_continuous_aggregate(..., null, null, force => true),
-- which cannot run inside a function (docs/operations.md).
create or replace function analytics.rebuild_rollup(p_rollup text)
returns integer
language plpgsql
as $$
declare
    v_count integer;
begin
    if p_rollup in ('hourly_channel_metrics', 'mv_recent_performance', 'mv_historical_performance')
        then
        raise exception '% is a continuous aggregate', p_rollup
            using hint = format(
                'call public.refresh_continuous_aggregate(%L, null, null, force => true)',
                'analytics.' || p_rollup
            );
    elsif p_rollup <> 'daily_revenue_summary' then
        raise exception 'unknown rollup %', p_rollup
            using hint = 'one of hourly_channel_metrics, mv_recent_performance, '
                'mv_historical_performance, daily_revenue_summary';
    end if;
    perform pg_advisory_xact_lock(hashtext('analytics.daily_revenue_summary'));
    insert into analytics.revenue_invalidation (revenue_date)
    select revenue_date from analytics.revenue_attribution
    union
    select revenue_date from analytics.daily_revenue_summary;
    get diagnostics v_count = row_count;
    return v_count;
end
$$;

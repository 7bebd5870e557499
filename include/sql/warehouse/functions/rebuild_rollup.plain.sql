-- requires: functions/warehouse_day, functions/warehouse_day_start
-- Maintenance: marks every bucket of one rollup as invalid, so that its next
-- refresh recomputes it from scratch. Cost grows with history: an explicit
-- action (docs/operations.md), never part of a scheduled run.
create or replace function analytics.rebuild_rollup(p_rollup text)
returns integer
language plpgsql
as $$
declare
    v_count integer;
begin
    if p_rollup = 'daily_revenue_summary' then
        perform pg_advisory_xact_lock(hashtext('analytics.daily_revenue_summary'));
        insert into analytics.revenue_invalidation (revenue_date)
        select revenue_date from analytics.revenue_attribution
        union
        select revenue_date from analytics.daily_revenue_summary;
        get diagnostics v_count = row_count;
        return v_count;
    end if;

    perform pg_advisory_xact_lock(hashtext('analytics.' || p_rollup));
    if p_rollup in ('hourly_channel_metrics', 'mv_recent_performance') then
        insert into analytics.fact_invalidation (rollup_name, channel_id, bucket)
        select p_rollup, channel_id, timestamp from analytics.fact_video_performance
        union
        select p_rollup, channel_id, hour from analytics.hourly_channel_metrics
        where p_rollup = 'hourly_channel_metrics'
        union
        select p_rollup, channel_id, hour from analytics.mv_recent_performance
        where p_rollup = 'mv_recent_performance';
    elsif p_rollup = 'mv_historical_performance' then
        insert into analytics.fact_invalidation (rollup_name, channel_id, bucket)
        select p_rollup, channel_id, analytics.warehouse_day_start(analytics.warehouse_day(timestamp))
        from analytics.fact_video_performance
        union
        select p_rollup, channel_id, day from analytics.mv_historical_performance;
    else
        raise exception 'unknown rollup %', p_rollup
            using hint = 'one of hourly_channel_metrics, mv_recent_performance, '
                'mv_historical_performance, daily_revenue_summary';
    end if;
    get diagnostics v_count = row_count;
    return v_count;
end
$$;

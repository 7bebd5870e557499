-- Partition upkeep for the 3 AM refresh: the months around the logical date and
-- every month that has stray rows in the DEFAULT partition (ensure_fact_partition
-- moves them into the month's new partition). Runs as the table owner: creating
-- a partition needs ownership, which the Airflow loader role does not have.
create or replace function analytics.ensure_fact_partitions(
    p_logical_date date, p_months_ahead integer
)
returns table (month text, created boolean)
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
    v_month date;
begin
    for v_month in
        select m::date
        from generate_series(
            date_trunc('month', p_logical_date) - interval '1 month',
            date_trunc('month', p_logical_date) + make_interval(months => p_months_ahead),
            interval '1 month'
        ) as m
        union
        select distinct date_trunc('month', d.timestamp, 'UTC')::date
        from analytics.fact_video_performance_default as d
        order by 1
    loop
        month := to_char(v_month, 'YYYY-MM');
        created := analytics.ensure_fact_partition(v_month);
        return next;
    end loop;
end
$$;

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

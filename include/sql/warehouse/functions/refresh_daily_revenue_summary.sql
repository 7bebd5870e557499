-- Recomputes exactly the logged days; returns how many days were recomputed.
create or replace function analytics.refresh_daily_revenue_summary()
returns integer
language plpgsql
as $$
declare
    v_days date [];
begin
    perform pg_advisory_xact_lock(hashtext('analytics.daily_revenue_summary'));
    with consumed as (
        delete from analytics.revenue_invalidation returning revenue_date
    )
    select coalesce(array_agg(distinct revenue_date), '{}') into v_days from consumed;

    delete from analytics.daily_revenue_summary where revenue_date = any(v_days);
    insert into analytics.daily_revenue_summary
    select
        revenue_date,
        count(distinct channel_id),
        count(distinct video_id),
        sum(total_revenue_cents) / 100.0,
        sum(total_cost_cents) / 100.0,
        sum(profit_cents) / 100.0,
        avg(roi_percentage),
        percentile_cont(0.5) within group (order by roi_percentage),
        round(100.0 * sum(profit_cents) / nullif(sum(total_cost_cents), 0), 2)
    from analytics.revenue_attribution
    where revenue_date = any(v_days)
    group by revenue_date;
    return cardinality(v_days);
end
$$;

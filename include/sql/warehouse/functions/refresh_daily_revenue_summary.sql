-- requires: functions/roi_by_video_type_live
-- Recomputes exactly the logged days; returns how many days were recomputed. Query
-- 5's kept answers whose 30-day window holds a recomputed day are dropped, and with
-- p_today the answer for the 30 days before p_today (its default window) is kept
-- when none is: recomputed only when something it read has changed.
drop function if exists analytics.refresh_daily_revenue_summary();

create or replace function analytics.refresh_daily_revenue_summary(p_today date default null)
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
    insert into analytics.daily_revenue_summary (
        revenue_date, active_channels, monetized_videos, total_revenue, total_cost,
        total_profit, avg_roi, median_roi, pooled_roi, revenue_cents, cost_cents, profit_cents
    )
    select
        revenue_date,
        count(distinct channel_id),
        count(distinct video_id),
        sum(total_revenue_cents) / 100.0,
        sum(total_cost_cents) / 100.0,
        sum(profit_cents) / 100.0,
        avg(roi_percentage),
        percentile_cont(0.5) within group (order by roi_percentage),
        round(100.0 * sum(profit_cents) / nullif(sum(total_cost_cents), 0), 2),
        sum(total_revenue_cents),
        sum(total_cost_cents),
        sum(profit_cents)
    from analytics.revenue_attribution
    where revenue_date = any(v_days)
    group by revenue_date;

    delete from analytics.roi_by_video_type_kept as k
    where
        k.as_of_day <> p_today
        or exists (
            select from unnest(v_days) as d (day)
            where d.day >= k.as_of_day - 30 and d.day < k.as_of_day
        );
    if p_today is not null
        and not exists (
            select from analytics.roi_by_video_type_kept as k where k.as_of_day = p_today
        ) then
        insert into analytics.roi_by_video_type_kept
        select * from analytics.roi_by_video_type_live(p_today);
    end if;
    return cardinality(v_days);
end
$$;

-- requires: functions/warehouse_day, functions/warehouse_day_start
-- Spec §5, corrected (KNOWN-DEFECTS 10): YouTube's revenue in the fact table against
-- the attributed revenue, per warehouse day over the week up to p_as_of (the run's
-- logical time).
create or replace function analytics.check_revenue_reconciliation(
    p_as_of timestamptz default now()
)
returns table (
    check_date date,
    youtube_revenue numeric,
    calculated_revenue numeric,
    difference numeric,
    difference_percentage numeric,
    status text
)
language sql stable
as $$
    with newest as (
        select max(r.revenue_date) as day
        from analytics.revenue_attribution as r
        where r.ad_revenue_cents::bigint + r.other_revenue_cents > 0
            and r.revenue_date <= analytics.warehouse_day(p_as_of)
    ),

    days as (
        select d::date as day, d::date > newest.day as pending
        from newest,
            generate_series(
                newest.day - 6, greatest(newest.day, analytics.warehouse_day(p_as_of) - 1), interval '1 day'
            ) as d
        where newest.day is not null
    ),

    fact as (
        select analytics.warehouse_day(f.timestamp) as day, sum(f.estimated_revenue_cents) as cents
        from analytics.fact_video_performance as f
        where f.timestamp >= (select analytics.warehouse_day_start(min(day)) from days)
            and f.timestamp < (select analytics.warehouse_day_start(max(day) + 1) from days)
        group by 1
    ),

    attributed as (
        select r.revenue_date as day, sum(r.ad_revenue_cents::bigint + r.other_revenue_cents) as cents
        from analytics.revenue_attribution as r
        where r.revenue_date between (select min(day) from days) and (select max(day) from days)
        group by 1
    ),

    compared as (
        select
            days.day,
            days.pending,
            coalesce(fact.cents, 0) as youtube_cents,
            coalesce(attributed.cents, 0) as calculated_cents
        from days
        left join fact on days.day = fact.day
        left join attributed on days.day = attributed.day
    )

    select
        day,
        youtube_cents / 100.0,
        calculated_cents / 100.0,
        (youtube_cents - calculated_cents) / 100.0,
        case when youtube_cents <> 0
            then round(100.0 * (youtube_cents - calculated_cents) / youtube_cents, 2)
        end,
        case
            when pending then 'PENDING'
            when youtube_cents = 0 and calculated_cents = 0 then 'OK'
            when youtube_cents = 0 or calculated_cents = 0 then 'MISSING'
            when abs(youtube_cents - calculated_cents) > 0.05 * abs(youtube_cents) then 'MISMATCH'
            when abs(youtube_cents - calculated_cents) > 0.02 * abs(youtube_cents) then 'WARNING'
            else 'OK'
        end
    from compared
    order by day desc
$$;

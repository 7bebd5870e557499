-- requires: functions/warehouse_day, functions/warehouse_day_start
-- Freshness without false alarms while the warehouse warms up: a table is judged
-- from its newest data or from the first schema deploy, whichever is later (when
-- that deploy happened before the time judged, or within the hour after it: the
-- run Airflow makes for the schedule point just before a DAG is first enabled is
-- judged then). Right after a deploy nothing can be stale yet; once data has
-- flowed and stops, it goes STALE as before. Channels
-- registered recently are already judged from their registration
-- (check_missing_data).
create or replace function analytics.check_data_freshness(p_as_of timestamptz default now())
returns table (
    table_name text,
    last_update timestamptz,
    hours_since_update numeric,
    status text
)
language sql stable
as $$
    with deployed as (
        select min(m.applied_at) as deployed_at
        from analytics.schema_migrations as m
        having min(m.applied_at) <= p_as_of + interval '1 hour'
    ),

    fact as (
        select
            max(f.timestamp) as last_update,
            greatest(max(f.timestamp), (select d.deployed_at from deployed as d)) as judged_from
        from analytics.fact_video_performance as f
        where f.timestamp <= p_as_of
    ),

    revenue as (
        select
            max(r.revenue_date) as last_day,
            -- A deploy on day D counts as revenue up to D - 1 (what the daily load brings).
            greatest(
                max(r.revenue_date),
                (select analytics.warehouse_day(d.deployed_at) - 1 from deployed as d)
            ) as judged_day
        from analytics.revenue_attribution as r
        where r.ad_revenue_cents::bigint + r.other_revenue_cents > 0
            and r.revenue_date <= analytics.warehouse_day(p_as_of)
    ),

    inputs as (
        select 'cost_tracking'::text as table_name, max(c.timestamp) as last_update
        from analytics.cost_tracking as c
        where c.timestamp <= p_as_of
        union all
        select 'partner_revenue', analytics.warehouse_day_start(max(p.revenue_date))
        from analytics.partner_revenue as p
        where p.revenue_date <= analytics.warehouse_day(p_as_of)
    )

    select
        'fact_video_performance'::text,
        fact.last_update,
        round(extract(epoch from p_as_of - fact.last_update) / 3600, 2),
        case
            when fact.judged_from is null then 'STALE'
            when p_as_of - fact.judged_from > interval '6 hours' then 'STALE'
            when p_as_of - fact.judged_from > interval '2 hours' then 'WARNING'
            else 'FRESH'
        end
    from fact
    union all
    select
        'revenue_attribution',
        analytics.warehouse_day_start(revenue.last_day),
        round(
            extract(epoch from p_as_of - analytics.warehouse_day_start(revenue.last_day)) / 3600,
            2
        ),
        case
            when revenue.judged_day is null then 'STALE'
            when analytics.warehouse_day(p_as_of) - revenue.judged_day >= 5 then 'STALE'
            when analytics.warehouse_day(p_as_of) - revenue.judged_day = 4 then 'WARNING'
            else 'FRESH'
        end
    from revenue
    union all
    select
        inputs.table_name,
        inputs.last_update,
        round(extract(epoch from p_as_of - inputs.last_update) / 3600, 2),
        'INFO'
    from inputs
$$;

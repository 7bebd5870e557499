-- Spec §5 and §6 functions, corrected (KNOWN-DEFECTS 10 and docs/spec-deviations.md).
-- Each takes the time it judges from (the run's logical time); now() by default.

create or replace function analytics.check_data_freshness(p_as_of timestamptz default now())
returns table (
    table_name text,
    last_update timestamptz,
    hours_since_update numeric,
    status text
)
language sql stable
as $$
    with fact as (
        select max(f.timestamp) as last_update
        from analytics.fact_video_performance as f
        where f.timestamp <= p_as_of
    ),

    revenue as (
        select max(r.revenue_date) as last_day
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
            when fact.last_update is null then 'STALE'
            when p_as_of - fact.last_update > interval '6 hours' then 'STALE'
            when p_as_of - fact.last_update > interval '2 hours' then 'WARNING'
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
            when revenue.last_day is null then 'STALE'
            when analytics.warehouse_day(p_as_of) - revenue.last_day >= 5 then 'STALE'
            when analytics.warehouse_day(p_as_of) - revenue.last_day = 4 then 'WARNING'
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

create or replace function analytics.check_missing_data(p_as_of timestamptz default now())
returns table (
    channel_id varchar,
    missing_hours integer,
    last_data_point timestamptz,
    status text
)
language sql stable
as $$
    with bounds as (
        select
            date_trunc('hour', p_as_of, 'UTC') - interval '24 hours' as from_ts,
            date_trunc('hour', p_as_of, 'UTC') as to_ts
    ),

    -- A channel's first collected hour is the one after its registration hour (the
    -- first snapshot is a baseline): earlier hours are not missing.
    expected as (
        select
            c.channel_id,
            greatest(b.from_ts, date_trunc('hour', c.created_at, 'UTC') + interval '1 hour')
                as from_ts,
            b.to_ts
        from analytics.dim_channel as c
        cross join bounds as b
        where c.status = 'active'
    ),

    -- Daily rows hold a day the revenue load made final, not an observed hour.
    present as (
        select e.channel_id, count(distinct f.timestamp) as hours
        from expected as e
        inner join analytics.fact_video_performance as f
            on
                e.channel_id = f.channel_id
                and f.timestamp >= e.from_ts
                and f.timestamp < e.to_ts
                and not f.daily_row
        group by e.channel_id
    ),

    missing as (
        select
            e.channel_id,
            (
                greatest(extract(epoch from e.to_ts - e.from_ts) / 3600, 0)
                - coalesce(p.hours, 0)
            )::integer as missing_hours
        from expected as e
        left join present as p on e.channel_id = p.channel_id
    )

    select
        m.channel_id,
        m.missing_hours,
        (
            select max(f.timestamp)
            from analytics.fact_video_performance as f
            where f.channel_id = m.channel_id and f.timestamp <= p_as_of and not f.daily_row
        ),
        case
            when m.missing_hours > 12 then 'CRITICAL'
            when m.missing_hours > 6 then 'WARNING'
            else 'OK'
        end
    from missing as m
    where m.missing_hours > 0
    order by m.missing_hours desc, m.channel_id
$$;

-- Real elapsed time for any duration (EXTRACT(MILLISECONDS ...) is only the
-- seconds field) measured to the moment of the call, not the transaction start.
create or replace function analytics.log_query_performance(
    p_query_name varchar,
    p_start_time timestamptz,
    p_rows integer default 0,
    p_success boolean default true,
    p_error text default null,
    p_kind text default 'query',
    p_run_id text default null,
    p_try_number integer default null
)
returns void
language sql
as $$
    insert into analytics.query_performance_log (
        query_name, execution_time_ms, rows_returned, success, error_message,
        kind, run_id, try_number, timestamp
    )
    values (
        p_query_name,
        round(extract(epoch from clock_timestamp() - p_start_time) * 1000),
        p_rows, p_success, p_error, p_kind, p_run_id, p_try_number, clock_timestamp()
    )
$$;

create or replace function analytics.check_slow_queries(p_as_of timestamptz default now())
returns table (
    alert_level text,
    query_name varchar,
    avg_execution_time_ms numeric,
    max_execution_time_ms numeric,
    failure_rate numeric
)
language sql stable
as $$
    with recent as (
        select
            l.*,
            -- A step's attempts collapse to the last one: its final outcome counts.
            row_number() over (
                partition by l.kind, l.query_name, coalesce(l.run_id, l.id::text)
                order by l.try_number desc nulls last, l.timestamp desc, l.id desc
            ) as attempt_rank
        from analytics.query_performance_log as l
        where l.timestamp > p_as_of - interval '1 hour' and l.timestamp <= p_as_of
    ),

    stats as (
        select
            r.kind,
            r.query_name,
            avg(r.execution_time_ms) as avg_time,
            max(r.execution_time_ms) as max_time,
            count(*) filter (where not r.success)::numeric / count(*) as fail_rate
        from recent as r
        where r.kind = 'query' or r.attempt_rank = 1
        group by r.kind, r.query_name
    ),

    judged as (
        select
            s.*,
            case
                when s.kind = 'query' and (s.avg_time > 2000 or s.fail_rate > 0.1) then 'CRITICAL'
                when s.kind = 'query' and (s.avg_time > 1000 or s.fail_rate > 0.05) then 'WARNING'
                when s.kind = 'query' then 'OK'
                when s.max_time > b.critical_ms or s.fail_rate > 0.1 then 'CRITICAL'
                when s.max_time > b.warning_ms or s.fail_rate > 0.05 then 'WARNING'
                else 'OK'
            end as alert_level
        from stats as s
        left join lateral (
            select sb.warning_ms, sb.critical_ms
            from analytics.step_budgets as sb
            where s.query_name like sb.name_pattern
            order by length(sb.name_pattern) desc
            limit 1
        ) as b on true
    )

    select
        j.alert_level,
        j.query_name,
        round(j.avg_time, 2),
        j.max_time::numeric,
        round(j.fail_rate * 100, 2)
    from judged as j
    where (j.kind = 'query' and (j.avg_time > 500 or j.fail_rate > 0))
        or (j.kind = 'step' and j.alert_level <> 'OK')
    order by j.avg_time desc
$$;

-- pg_stat_statements lives in public and only where it is preloaded: without it
-- this returns no rows instead of failing.
create or replace function analytics.get_slow_queries()
returns table (
    query text,
    calls bigint,
    mean_time double precision,
    total_time double precision,
    min_time double precision,
    max_time double precision
)
language plpgsql stable
as $$
begin
    if to_regclass('public.pg_stat_statements') is null then
        return;
    end if;
    return query execute
        'select s.query::text, s.calls, s.mean_exec_time, s.total_exec_time, '
        '       s.min_exec_time, s.max_exec_time '
        'from public.pg_stat_statements as s '
        'where s.query like ''%analytics%'' and s.mean_exec_time > 1000 '
        'order by s.mean_exec_time desc limit 20';
end
$$;

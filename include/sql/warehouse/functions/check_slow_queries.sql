-- Spec §6: slow or failing queries, and pipeline steps over their budget
-- (analytics.step_budgets), in the hour before p_as_of (the run's logical time).
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

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

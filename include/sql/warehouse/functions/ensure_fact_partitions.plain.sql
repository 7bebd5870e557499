-- requires: functions/create_fact_partition
-- One way to create fact partitions (plain path): monthly (UTC) partitions for
-- every month overlapping [p_from, p_to), plus every month with stray rows in
-- the DEFAULT partition (moved into the month's new partition). Runs as the
-- table owner, because creating a partition needs ownership, which the loader
-- role lacks. Lock-safe: callers queue on one advisory lock before they look
-- at anything, so the existence checks and the DEFAULT read happen under it
-- (a caller that checked first and locked second could create a partition
-- twice, or deadlock on the DEFAULT partition with the creator).
create or replace function analytics.ensure_fact_partitions(
    p_from timestamptz, p_to timestamptz
)
returns table (month text, created boolean)
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
    v_month date;
    v_start timestamptz;
    v_end timestamptz;
    v_name text;
begin
    if p_to <= p_from then
        raise exception 'empty range [%, %)', p_from, p_to;
    end if;
    perform pg_advisory_xact_lock(hashtext('analytics.ensure_fact_partitions'));
    for v_month in
        select m::date
        from generate_series(
            date_trunc('month', p_from, 'UTC') at time zone 'UTC',
            date_trunc('month', p_to - interval '1 microsecond', 'UTC') at time zone 'UTC',
            interval '1 month'
        ) as m
        union
        select distinct (date_trunc('month', d.timestamp, 'UTC') at time zone 'UTC')::date
        from analytics.fact_video_performance_default as d
        order by 1
    loop
        v_start := v_month::timestamp at time zone 'UTC';
        v_end := (v_month + interval '1 month') at time zone 'UTC';
        v_name := 'fact_video_performance_' || to_char(v_month, 'YYYY_MM');
        month := to_char(v_month, 'YYYY-MM');
        created := false;
        if to_regclass('analytics.' || v_name) is null then
            -- No insert may land in DEFAULT between moving its rows out and creating.
            lock table analytics.fact_video_performance in share row exclusive mode;
            perform analytics.create_fact_partition(v_name, v_start, v_end);
            created := true;
        end if;
        return next;
    end loop;
end
$$;

revoke execute on function analytics.ensure_fact_partitions(timestamptz, timestamptz) from public;
grant execute on function analytics.ensure_fact_partitions(timestamptz, timestamptz) to ytempire_loader;

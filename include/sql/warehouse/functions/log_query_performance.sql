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

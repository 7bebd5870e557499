-- One pipeline step's outcome (ytempire.steplog), written in its own transaction.
insert into analytics.query_performance_log (
    query_name, execution_time_ms, rows_returned, success, error_message, kind, run_id,
    try_number, timestamp
)
values (
    %(name)s, %(elapsed_ms)s, %(rows)s, %(success)s, %(error)s, %(kind)s, %(run_id)s,
    %(try_number)s, clock_timestamp()
)

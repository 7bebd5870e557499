-- TimescaleDB: run one background job now, in this session (autocommit), as
-- the scheduler would.
call public.run_job(%(job_id)s::integer)

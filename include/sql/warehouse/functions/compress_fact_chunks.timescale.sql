-- TimescaleDB: what the fact table's compression policy does, callable by the
-- loader. compress_chunk needs the hypertable's owner and CALL run_job the job
-- owner's role, neither of which the loader has: this function runs as the owner
-- (security definer) and compresses the chunks older than the policy's
-- compress_after (the YTEMPIRE_COMPRESS_AFTER_DAYS the deploy applied), one
-- transaction for the lot.
create or replace function analytics.compress_fact_chunks()
returns integer
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
    v_after interval;
    v_chunk regclass;
    v_count integer := 0;
begin
    select (j.config ->> 'compress_after')::interval into strict v_after
    from timescaledb_information.jobs as j
    where j.proc_name = 'policy_compression'
        and j.hypertable_schema = 'analytics'
        and j.hypertable_name = 'fact_video_performance';
    for v_chunk in
        select c.chunk
        from public.show_chunks('analytics.fact_video_performance', older_than => v_after)
            as c (chunk)
        where not exists (
            select from timescaledb_information.chunks as i
            where format('%I.%I', i.chunk_schema, i.chunk_name)::regclass = c.chunk
                and i.is_compressed
        )
    loop
        perform public.compress_chunk(v_chunk, if_not_compressed => true);
        v_count := v_count + 1;
    end loop;
    return v_count;
end
$$;

revoke execute on function analytics.compress_fact_chunks() from public;
grant execute on function analytics.compress_fact_chunks() to ytempire_loader;

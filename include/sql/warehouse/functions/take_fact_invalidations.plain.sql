-- Takes (and removes) the logged buckets of one rollup before p_before, under a
-- per-rollup lock.
create or replace function analytics.take_fact_invalidations(
    p_rollup text,
    p_before timestamptz default 'infinity',
    out channel_ids text[],
    out buckets timestamptz[]
)
language plpgsql
as $$
begin
    perform pg_advisory_xact_lock(hashtext('analytics.' || p_rollup));
    with consumed as (
        delete from analytics.fact_invalidation
        where rollup_name = p_rollup and bucket < p_before
        returning channel_id, bucket
    )
    select coalesce(array_agg(channel_id), '{}'), coalesce(array_agg(bucket), '{}')
    into channel_ids, buckets
    from (select distinct channel_id, bucket from consumed) as d;
end
$$;

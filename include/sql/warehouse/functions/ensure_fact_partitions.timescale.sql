-- Hypertables create their chunks themselves: the plain path's partition function
-- is a no-op here, so the DAGs call it on both paths.
create or replace function analytics.ensure_fact_partitions(
    p_from timestamptz, p_to timestamptz
)
returns table (month text, created boolean)
language sql
as $$ select null::text, null::boolean where false $$;

grant execute on function analytics.ensure_fact_partitions(timestamptz, timestamptz) to ytempire_loader;

-- Hypertables create their chunks themselves: the one partition function of the
-- plain path is a no-op here, so the DAGs call it on both paths.
drop function if exists analytics.ensure_fact_partitions_for_days(date, date);
drop function if exists analytics.ensure_fact_partitions(date, integer);
drop function if exists analytics.ensure_fact_partition(date);

create or replace function analytics.ensure_fact_partitions(
    p_from timestamptz, p_to timestamptz
)
returns table (month text, created boolean)
language sql
as $$ select null::text, null::boolean where false $$;

grant execute on function analytics.ensure_fact_partitions(timestamptz, timestamptz) to ytempire_loader;

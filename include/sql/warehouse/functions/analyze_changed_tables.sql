-- ANALYZE of what changed: every analytics table (and, on TimescaleDB, every
-- chunk) with at least p_min_changes + p_scale_factor * its rows modified since
-- its last analyze (autovacuum's rule, tighter, so the planner sees a day's
-- changes the same night). Leaf tables only: ANALYZE of a partitioned parent or
-- a hypertable root would sample the whole history. Runs as the owner, since
-- only an owner may analyze.
create or replace function analytics.analyze_changed_tables(
    p_min_changes bigint default 1, p_scale_factor double precision default 0.05
)
returns table (table_name text, changes bigint)
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
    v_table record;
begin
    for v_table in
        select s.schemaname, s.relname, s.n_mod_since_analyze
        from pg_stat_user_tables as s
        inner join pg_class as c on s.relid = c.oid
        where s.schemaname in ('analytics', '_timescaledb_internal')
            and c.relkind = 'r'
            and s.n_mod_since_analyze
            >= greatest(p_min_changes, 1) + p_scale_factor * greatest(c.reltuples, 0)
        order by s.schemaname, s.relname
    loop
        execute format('analyze %I.%I', v_table.schemaname, v_table.relname);
        table_name := v_table.schemaname || '.' || v_table.relname;
        changes := v_table.n_mod_since_analyze;
        return next;
    end loop;
end
$$;

-- An owner-rights upkeep function is for the pipeline, not for every role.
revoke execute on function analytics.analyze_changed_tables(bigint, double precision) from public;
grant execute on function analytics.analyze_changed_tables(bigint, double precision) to ytempire_loader;

-- Bench: bytes on disk of the fact hypertable and each continuous aggregate, TimescaleDB.
select
    'fact_video_performance' as relation,
    public.hypertable_size('analytics.fact_video_performance') as bytes
union all
select
    a.view_name::text,
    public.hypertable_size(
        format('%I.%I', a.materialization_hypertable_schema, a.materialization_hypertable_name)
    )
from timescaledb_information.continuous_aggregates as a
where a.view_schema = 'analytics'
union all
select
    c.relname::text,
    pg_total_relation_size(c.oid)
from pg_class as c
inner join pg_namespace as n on c.relnamespace = n.oid
where n.nspname = 'analytics' and c.relname in ('video_stats_snapshot', 'revenue_attribution')

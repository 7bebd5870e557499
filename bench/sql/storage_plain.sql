-- Bench: bytes on disk (heap, indexes, TOAST) of the fact table and each rollup, plain path.
select
    'fact_video_performance' as relation,
    sum(pg_total_relation_size(t.relid)) as bytes
from pg_partition_tree('analytics.fact_video_performance') as t
union all
select
    c.relname,
    pg_total_relation_size(c.oid)
from pg_class as c
inner join pg_namespace as n on c.relnamespace = n.oid
where
    n.nspname = 'analytics'
    and c.relname in (
        'hourly_channel_metrics', 'mv_recent_performance', 'mv_historical_performance',
        'mv_video_daily_performance', 'mv_video_daily_views', 'video_stats_snapshot',
        'revenue_attribution'
    )

-- The migration history retired when functions, views and triggers moved into
-- repeatable files (include/sql/warehouse): versions below 100. recorded: how many
-- rows below 100 this warehouse holds; strays: the files of the retired history it
-- lacks and the rows below 100 that are not of it (null when none), each NNNN_name.
with retired (version, name) as (
    values
    (1, 'schema_roles_helpers'),
    (2, 'dimensions_and_inputs'),
    (3, 'landing_and_operations'),
    (4, 'fact_video_performance'),
    (5, 'revenue_attribution'),
    (6, 'rollups'),
    (7, 'channel_performance_view'),
    (8, 'quality_functions'),
    (9, 'revenue_date_index'),
    (10, 'grants'),
    (20, 'refresh_maintenance'),
    (21, 'analyze_changed_tables'),
    (30, 'quality_alerting'),
    (31, 'fact_time_index'),
    (40, 'video_counts_from_zero'),
    (45, 'revenue_inputs_tracking'),
    (60, 'split_cents'),
    (61, 'categories_and_video_types'),
    (80, 'fact_partitions'),
    (81, 'historical_complete_days'),
    (82, 'apply_warehouse_settings'),
    (83, 'freshness_warm_up'),
    (90, 'fast_reads'),
    (91, 'complete_days'),
    (92, 'channel_performance_view_daily')
)

select
    (
        select count(*)
        from analytics.schema_migrations as m
        where m.version < 100
    ) as recorded,
    (
        select array_agg(s.file order by s.file)
        from (
            select lpad(r.version::text, 4, '0') || '_' || r.name || ' (missing)' as file
            from retired as r
            where
                not exists (
                    select from analytics.schema_migrations as m
                    where m.version = r.version and m.name = r.name
                )
            union all
            select lpad(m.version::text, 4, '0') || '_' || m.name || ' (unknown)'
            from analytics.schema_migrations as m
            where
                m.version < 100
                and not exists (
                    select from retired as r
                    where r.version = m.version and r.name = m.name
                )
        ) as s
    ) as strays

-- The objects the quality checks need, by name: missing ones mean the schema
-- deploy (analytics_schema_deploy) has not applied every migration yet.
select required.name
from (
    values
    ('analytics.quality_check_results', to_regclass('analytics.quality_check_results')::oid),
    ('analytics.quality_alert_state', to_regclass('analytics.quality_alert_state')::oid),
    ('analytics.quality_alert_log', to_regclass('analytics.quality_alert_log')::oid),
    (
        'analytics.check_channel_revenue_reconciliation(timestamptz)',
        to_regprocedure('analytics.check_channel_revenue_reconciliation(timestamptz)')::oid
    ),
    (
        'analytics.check_data_freshness(timestamptz)',
        to_regprocedure('analytics.check_data_freshness(timestamptz)')::oid
    ),
    (
        'analytics.check_revenue_reconciliation(timestamptz)',
        to_regprocedure('analytics.check_revenue_reconciliation(timestamptz)')::oid
    ),
    (
        'analytics.check_missing_data(timestamptz)',
        to_regprocedure('analytics.check_missing_data(timestamptz)')::oid
    ),
    (
        'analytics.check_slow_queries(timestamptz)',
        to_regprocedure('analytics.check_slow_queries(timestamptz)')::oid
    )
) as required (name, found)
where required.found is null
order by required.name

-- ANALYZE every leaf table modified enough since its last analyze; one row per table.
select
    table_name,
    changes
from analytics.analyze_changed_tables(%(min_changes)s, %(scale_factor)s)

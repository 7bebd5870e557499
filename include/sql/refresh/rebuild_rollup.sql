-- Marks every bucket of a rollup invalid (plain path, daily_revenue_summary).
select analytics.rebuild_rollup(%(rollup)s) as invalidated

-- requires: functions/refresh_daily_revenue_summary
-- Spec §4 on this path: the continuous aggregates are refreshed by
-- refresh_continuous_aggregate, which cannot run inside a function.
create or replace function analytics.refresh_materialized_views()
returns void
language plpgsql
as $$
begin
    perform analytics.refresh_daily_revenue_summary();
end
$$;

-- requires: functions/refresh_daily_revenue_summary, functions/refresh_hourly_channel_metrics, functions/refresh_mv_historical_performance, functions/refresh_mv_recent_performance
-- Spec §4, without pg_cron (Airflow schedules it) and with each rollup recomputed
-- only for its invalidated buckets.
create or replace function analytics.refresh_materialized_views()
returns void
language plpgsql
as $$
begin
    perform analytics.refresh_hourly_channel_metrics();
    perform analytics.refresh_mv_recent_performance();
    perform analytics.refresh_mv_historical_performance();
    perform analytics.refresh_daily_revenue_summary();
end
$$;

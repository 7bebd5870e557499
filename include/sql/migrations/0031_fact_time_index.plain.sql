-- The fact table had no index leading with `timestamp` on the plain path, so
-- max(timestamp) (check_data_freshness, every hour) and the 24-hour window of
-- check_missing_data scanned every partition. Hypertables have this index already.
create index if not exists idx_fact_video_performance_time
on analytics.fact_video_performance (timestamp desc);

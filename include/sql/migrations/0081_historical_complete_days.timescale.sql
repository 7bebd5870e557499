-- mv_historical_performance holds complete warehouse days only: the refreshes
-- materialize days before the logical warehouse day, and real-time aggregation
-- would add the day in progress, so readers see the materialized days alone.
alter materialized view analytics.mv_historical_performance
set (timescaledb.materialized_only = true);

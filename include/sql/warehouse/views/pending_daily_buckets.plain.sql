-- The (channel, day) buckets logged and not yet refreshed: the day in progress,
-- and any change since the last refresh (late data, hand-made corrections).
create or replace view analytics.pending_daily_buckets as
select distinct
    i.channel_id,
    i.bucket as day
from analytics.fact_invalidation as i
where i.rollup_name = 'mv_historical_performance';

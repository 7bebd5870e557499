-- Raw counters older than the retention window: retention_days x 24 hours before
-- the run's logical time (exact hours, whatever the session time zone). A
-- video's newest snapshot is kept whatever its age: the next collection needs
-- it as the baseline of that video's increment. The history is keyed by hour, so
-- each video's newest hour is one pass over it (once a day).
delete from analytics.video_stats_snapshot as s
using (
    select
        video_id,
        max(snapshot_hour) as newest_hour
    from analytics.video_stats_snapshot
    group by video_id
) as n
where
    s.video_id = n.video_id
    and s.snapshot_hour < n.newest_hour
    and s.snapshot_hour
    < %(logical_date)s::timestamptz - make_interval(hours => 24 * %(retention_days)s)

-- Raw counters older than the retention window: retention_days x 24 hours before
-- the run's logical time (exact hours, whatever the session time zone). A
-- video's newest snapshot is kept whatever its age: the next collection needs
-- it as the baseline of that video's increment.
delete from analytics.video_stats_snapshot as s
where
    s.snapshot_hour
    < %(logical_date)s::timestamptz - make_interval(hours => 24 * %(retention_days)s)
    and exists (
        select
        from analytics.video_stats_snapshot as newer
        where
            newer.video_id = s.video_id
            and newer.snapshot_hour > s.snapshot_hour
    )

-- The newest hour the hourly collector has snapshotted (null before its first run).
select max(s.snapshot_hour) as newest_snapshot_hour
from analytics.video_stats_snapshot as s

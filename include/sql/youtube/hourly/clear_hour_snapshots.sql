-- After refuse_later_snapshots.sql, before the merge: a re-run of the hour replaces
-- the staged videos' snapshots at %(hour)s, so the merge inserts every snapshot
-- (cheaper than resolving conflicts; on an hour's first run there is nothing here).
delete from analytics.video_stats_snapshot as s
using pg_temp.hourly_counter_stage as t
where s.snapshot_hour = %(hour)s and s.video_id = t.video_id

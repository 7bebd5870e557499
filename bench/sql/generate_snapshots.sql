-- Bench set-up: the snapshot history the hourly collector would have left in the
-- UTC hours [start, end) (one row per video and hour), with the lifetime counters of
-- bench/load.py's `counters` (hour n counted from the epoch), so that the measured
-- hours find their previous snapshots and the history's indexes at their size.
insert into analytics.video_stats_snapshot (
    video_id, channel_id, snapshot_hour, view_count, like_count, comment_count
)
select
    'bv' || lpad(v::text, 7, '0'),
    'UCbench' || lpad((v %% %(channels)s)::text, 5, '0'),
    h,
    1000 + v + t.n * (1 + v %% 7),
    10 + t.n * (v %% 3),
    t.n / 5
from generate_series(0, %(videos)s - 1) as v
cross join generate_series(
    %(start)s::timestamptz, %(end)s::timestamptz - interval '1 hour', interval '1 hour'
) as h
cross join lateral (select (extract(epoch from h) / 3600)::bigint as n) as t

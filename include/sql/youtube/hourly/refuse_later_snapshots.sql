-- Before the merge: a channel with a video that already has a snapshot later than
-- %(hour)s (a newer run collected it meanwhile) is taken out of the stage whole, so
-- that nothing of it is written and the other channels merge. Returns the channels
-- taken out and how many of their videos had a later snapshot. The later snapshots
-- are one range of the history's key (normally empty), not a probe per video.
with later as (
    select distinct later.video_id
    from analytics.video_stats_snapshot as later
    where later.snapshot_hour > %(hour)s
),

refused as (
    select
        s.channel_id,
        count(*) as videos
    from pg_temp.hourly_counter_stage as s
    inner join later as l on s.video_id = l.video_id
    group by s.channel_id
),

removed as (
    delete from pg_temp.hourly_counter_stage as s
    using refused as r
    where s.channel_id = r.channel_id
)

select
    channel_id,
    videos
from refused
order by channel_id

-- Before the merge: a channel with a video that already has a snapshot later than
-- %(hour)s (a newer run collected it meanwhile) is taken out of the stage whole, so
-- that nothing of it is written and the other channels merge. Returns the channels
-- taken out and how many of their videos had a later snapshot.
with refused as (
    select
        s.channel_id,
        count(*) as videos
    from pg_temp.hourly_counter_stage as s
    where
        exists (
            select
            from analytics.video_stats_snapshot as later
            where later.video_id = s.video_id and later.snapshot_hour > %(hour)s
        )
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

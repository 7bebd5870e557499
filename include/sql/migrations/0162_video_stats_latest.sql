-- Each video's newest snapshot and the one before it, written by the hourly merge
-- together with the snapshot history: an hour's increment takes its previous counters
-- from here by a join (a re-run of the newest hour from the one before it), instead
-- of a backward probe of the history's index per video. The history stays the record
-- (retention, later-hour checks); this table is derived from it, one row per video.
create table analytics.video_stats_latest (
    video_id varchar(50) primary key,
    channel_id varchar(50) not null,
    snapshot_hour timestamptz not null,
    view_count bigint not null,
    like_count bigint,
    comment_count bigint,
    previous_hour timestamptz,
    previous_view_count bigint,
    previous_like_count bigint,
    previous_comment_count bigint
) with (fillfactor = 50);

insert into analytics.video_stats_latest (
    video_id, channel_id, snapshot_hour, view_count, like_count, comment_count,
    previous_hour, previous_view_count, previous_like_count, previous_comment_count
)
select distinct on (video_id)
    video_id,
    channel_id,
    snapshot_hour,
    view_count,
    like_count,
    comment_count,
    lag(snapshot_hour) over by_hour as previous_hour,
    lag(view_count) over by_hour as previous_view_count,
    lag(like_count) over by_hour as previous_like_count,
    lag(comment_count) over by_hour as previous_comment_count
from analytics.video_stats_snapshot
window by_hour as (partition by video_id order by snapshot_hour)
order by video_id asc, snapshot_hour desc;

-- With the previous counters here, nothing reads the history by video but the daily
-- retention: keyed by hour first, each hour's rows go to the end of its index instead
-- of one place per video, and the hour index is the key itself.
alter table analytics.video_stats_snapshot drop constraint video_stats_snapshot_pkey;
alter table analytics.video_stats_snapshot add primary key (snapshot_hour, video_id);
drop index analytics.idx_snapshot_hour;

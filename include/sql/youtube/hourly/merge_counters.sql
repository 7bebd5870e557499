-- The hour %(hour)s of every staged channel in one statement (a mapped task's
-- channels; refuse_later_snapshots.sql has taken out any channel that can no longer
-- be written whole): the staged lifetime counters become the videos' snapshots at
-- %(hour)s, and their increments since each video's previous snapshot land in
-- fact_video_performance at %(hour)s - 1 hour:
-- - zero increments are rows too; after a gap the whole increment lands in that
--   one hour; negative increments (spam removal) are kept;
-- - a first snapshot is a baseline (no row), unless the video starts from zero
--   (published after its channel's previous uploads sync): then it counts in full;
-- - a counter missing now or in the previous snapshot (hidden likes, disabled
--   comments) has no increment (0); when it reappears it starts a new baseline.
-- A re-run replaces the hour's snapshots: clear_hour_snapshots.sql has removed the
-- staged videos' ones. The previous snapshot comes from video_stats_latest (its
-- newest, or on a re-run of %(hour)s the one before), which this statement keeps
-- together with the history; later snapshots are one range of the history's key
-- (normally empty).
-- Only views, likes and comments are written: the daily-only columns belong to
-- the revenue load. A YouTube day the revenue load has made final (the video's
-- yt_video_daily row exists) is never written: its figures are YouTube's
-- (normally unreachable: only the newest hour is written, and YouTube reports
-- a day two days later). An observed hour is never a daily row. Videos with a later
-- snapshot are left alone (their hour can no longer be observed again); the caller
-- treats any such row as an error. One row of counts per staged channel.
with staged as (
    select
        channel_id,
        video_id,
        view_count,
        like_count,
        comment_count
    from pg_temp.hourly_counter_stage
),

later as (
    select distinct later.video_id
    from analytics.video_stats_snapshot as later
    where later.snapshot_hour > %(hour)s
),

observable as (
    select
        s.channel_id,
        s.video_id,
        s.view_count,
        s.like_count,
        s.comment_count,
        coalesce(v.starts_from_zero, false) as starts_from_zero,
        case when l.snapshot_hour < %(hour)s then l.snapshot_hour else l.previous_hour end
            as previous_hour,
        case when l.snapshot_hour < %(hour)s then l.view_count else l.previous_view_count end
            as previous_view_count,
        case when l.snapshot_hour < %(hour)s then l.like_count else l.previous_like_count end
            as previous_like_count,
        case
            when l.snapshot_hour < %(hour)s then l.comment_count else l.previous_comment_count
        end as previous_comment_count
    from staged as s
    left join analytics.dim_video as v on s.video_id = v.video_id
    left join analytics.video_stats_latest as l on s.video_id = l.video_id
    where
        s.video_id not in (select later.video_id from later)
        and (l.snapshot_hour is null or l.snapshot_hour <= %(hour)s)
),

increments as (
    select
        channel_id,
        video_id,
        case
            when previous_hour is not null then view_count - previous_view_count
            else view_count
        end as views,
        case
            when previous_hour is not null then coalesce(like_count - previous_like_count, 0)
            else coalesce(like_count, 0)
        end as likes,
        case
            when previous_hour is not null
                then coalesce(comment_count - previous_comment_count, 0)
            else coalesce(comment_count, 0)
        end as comments
    from observable
    where previous_hour is not null or starts_from_zero
),

final_days as (
    select y.video_id
    from analytics.yt_video_daily as y
    where
        y.video_id in (select s.video_id from staged as s)
        and y.day = (
            (%(hour)s::timestamptz - interval '1 hour') at time zone 'America/Los_Angeles'
        )::date
),

open_increments as (
    select
        i.channel_id,
        i.video_id,
        i.views,
        i.likes,
        i.comments
    from increments as i
    where i.video_id not in (select f.video_id from final_days as f)
),

snapshots as (
    insert into analytics.video_stats_snapshot as s (
        channel_id, video_id, snapshot_hour, view_count, like_count, comment_count, run_id
    )
    select
        channel_id,
        video_id,
        %(hour)s,
        view_count,
        like_count,
        comment_count,
        %(run_id)s
    from observable
    returning s.channel_id
),

latest as (
    insert into analytics.video_stats_latest as l (
        video_id, channel_id, snapshot_hour, view_count, like_count, comment_count,
        previous_hour, previous_view_count, previous_like_count, previous_comment_count
    )
    select
        video_id,
        channel_id,
        %(hour)s,
        view_count,
        like_count,
        comment_count,
        previous_hour,
        previous_view_count,
        previous_like_count,
        previous_comment_count
    from observable
    on conflict (video_id) do update
        set
            channel_id = excluded.channel_id,
            snapshot_hour = excluded.snapshot_hour,
            view_count = excluded.view_count,
            like_count = excluded.like_count,
            comment_count = excluded.comment_count,
            previous_hour = excluded.previous_hour,
            previous_view_count = excluded.previous_view_count,
            previous_like_count = excluded.previous_like_count,
            previous_comment_count = excluded.previous_comment_count
    returning l.channel_id
),

facts as (
    insert into analytics.fact_video_performance as f (
        video_id, channel_id, timestamp, views, likes, comments
    )
    select
        video_id,
        channel_id,
        %(hour)s::timestamptz - interval '1 hour',
        views,
        likes,
        comments
    from open_increments
    on conflict (video_id, timestamp) do update
        set
            channel_id = excluded.channel_id,
            views = excluded.views,
            likes = excluded.likes,
            comments = excluded.comments,
            daily_row = false,
            updated_at = now()
        where (f.channel_id, f.views, f.likes, f.comments, f.daily_row)
        is distinct from (
            excluded.channel_id, excluded.views, excluded.likes, excluded.comments, false
        )
    returning f.channel_id
),

staged_counts as (
    select
        s.channel_id,
        count(*) as staged,
        count(*) - count(o.video_id) as later_snapshot
    from staged as s
    left join observable as o on s.video_id = o.video_id
    group by s.channel_id
),

increment_counts as (
    select
        i.channel_id,
        count(*) as increments,
        count(*) - count(o.video_id) as final_day
    from increments as i
    left join open_increments as o on i.video_id = o.video_id
    group by i.channel_id
),

snapshot_counts as (
    select
        channel_id,
        count(*) as snapshots
    from snapshots
    group by channel_id
),

latest_counts as (
    select
        channel_id,
        count(*) as latest
    from latest
    group by channel_id
),

fact_counts as (
    select
        channel_id,
        count(*) as facts_written
    from facts
    group by channel_id
)

select
    c.channel_id,
    c.staged,
    -- written to the history and to video_stats_latest alike
    least(coalesce(s.snapshots, 0), coalesce(l.latest, 0)) as snapshots,
    coalesce(i.increments, 0) as increments,
    coalesce(f.facts_written, 0) as facts_written,
    coalesce(i.final_day, 0) as final_day,
    c.later_snapshot
from staged_counts as c
left join snapshot_counts as s on c.channel_id = s.channel_id
left join latest_counts as l on c.channel_id = l.channel_id
left join increment_counts as i on c.channel_id = i.channel_id
left join fact_counts as f on c.channel_id = f.channel_id
order by c.channel_id

-- One channel's hour %(hour)s: the staged lifetime counters become the videos'
-- snapshots at %(hour)s, and their increments since each video's previous
-- snapshot land in fact_video_performance at %(hour)s - 1 hour:
-- - zero increments are rows too; after a gap the whole increment lands in that
--   one hour; negative increments (spam removal) are kept;
-- - a first snapshot is a baseline (no row), unless the video starts from zero
--   (published after its channel's previous uploads sync): then it counts in full;
-- - a counter missing now or in the previous snapshot (hidden likes, disabled
--   comments) has no increment (0); when it reappears it starts a new baseline.
-- Only views, likes and comments are written: the daily-only columns belong to
-- the revenue load. A YouTube day the revenue load has made final (the video's
-- yt_video_daily row exists) is never written: its figures are YouTube's
-- (normally unreachable: only the newest hour is written, and YouTube reports
-- a day two days later). An observed hour is never a daily row. Videos with a later snapshot are left alone (their hour can
-- no longer be observed again); the caller treats any such row as an error.
with staged as (
    select
        video_id,
        view_count,
        like_count,
        comment_count
    from pg_temp.hourly_counter_stage
),

observable as (
    select
        s.video_id,
        s.view_count,
        s.like_count,
        s.comment_count,
        coalesce(v.starts_from_zero, false) as starts_from_zero
    from staged as s
    left join analytics.dim_video as v on s.video_id = v.video_id
    where not exists (
        select
        from analytics.video_stats_snapshot as later
        where later.video_id = s.video_id and later.snapshot_hour > %(hour)s
    )
),

increments as (
    select
        o.video_id,
        case
            when p.video_id is not null then o.view_count - p.view_count
            else o.view_count
        end as views,
        case
            when p.video_id is not null then coalesce(o.like_count - p.like_count, 0)
            else coalesce(o.like_count, 0)
        end as likes,
        case
            when p.video_id is not null then coalesce(o.comment_count - p.comment_count, 0)
            else coalesce(o.comment_count, 0)
        end as comments
    from observable as o
    left join lateral (
        select
            prev.video_id,
            prev.view_count,
            prev.like_count,
            prev.comment_count
        from analytics.video_stats_snapshot as prev
        where prev.video_id = o.video_id and prev.snapshot_hour < %(hour)s
        order by prev.snapshot_hour desc
        limit 1
    ) as p on true
    where p.video_id is not null or o.starts_from_zero
),

open_increments as (
    select
        i.video_id,
        i.views,
        i.likes,
        i.comments
    from increments as i
    where not exists (
        select
        from analytics.yt_video_daily as y
        where
            y.video_id = i.video_id
            and y.day = (
                (%(hour)s::timestamptz - interval '1 hour')
                at time zone 'America/Los_Angeles'
            )::date
    )
),

snapshots as (
    insert into analytics.video_stats_snapshot as s (
        video_id, channel_id, snapshot_hour, view_count, like_count, comment_count, run_id
    )
    select
        video_id,
        %(channel_id)s,
        %(hour)s,
        view_count,
        like_count,
        comment_count,
        %(run_id)s
    from observable
    on conflict (video_id, snapshot_hour) do update
        set
            channel_id = excluded.channel_id,
            view_count = excluded.view_count,
            like_count = excluded.like_count,
            comment_count = excluded.comment_count,
            collected_at = excluded.collected_at,
            run_id = excluded.run_id
    returning s.video_id
),

facts as (
    insert into analytics.fact_video_performance as f (
        video_id, channel_id, timestamp, views, likes, comments
    )
    select
        video_id,
        %(channel_id)s,
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
    returning f.video_id
)

select
    (select count(*) from staged) as staged,
    (select count(*) from snapshots) as snapshots,
    (select count(*) from increments) as increments,
    (select count(*) from facts) as facts_written,
    (select count(*) from increments) - (select count(*) from open_increments) as final_day,
    (select count(*) from staged) - (select count(*) from observable) as later_snapshot

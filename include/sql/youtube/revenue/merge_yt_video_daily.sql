-- Replaces the channel's video rows of one YouTube day with what YouTube sent:
-- upserts the staged rows (unchanged rows are not rewritten) and removes rows
-- of videos YouTube no longer reports, except videos whose row was quarantined
-- this time (their earlier figures stay until a good row arrives).
with staged as (
    select * from stage_yt_video_daily
),

removed as (
    delete from analytics.yt_video_daily as t
    where
        t.channel_id = %(channel_id)s
        and t.day = %(day)s::date
        and not exists (
            select from staged as s
            where s.video_id = t.video_id
        )
        and t.video_id::text <> all(%(kept_video_ids)s::text[])
    returning t.video_id
),

upserted as (
    insert into analytics.yt_video_daily as t (
        video_id, day, channel_id, views, likes, dislikes, comments, shares,
        estimated_minutes_watched, average_view_duration, estimated_revenue,
        estimated_ad_revenue, run_id
    )
    select
        s.video_id,
        %(day)s::date,
        %(channel_id)s,
        s.views,
        s.likes,
        s.dislikes,
        s.comments,
        s.shares,
        s.estimated_minutes_watched,
        s.average_view_duration,
        s.estimated_revenue,
        s.estimated_ad_revenue,
        %(run_id)s
    from staged as s
    on conflict (video_id, day) do update
        set
            channel_id = excluded.channel_id,
            views = excluded.views,
            likes = excluded.likes,
            dislikes = excluded.dislikes,
            comments = excluded.comments,
            shares = excluded.shares,
            estimated_minutes_watched = excluded.estimated_minutes_watched,
            average_view_duration = excluded.average_view_duration,
            estimated_revenue = excluded.estimated_revenue,
            estimated_ad_revenue = excluded.estimated_ad_revenue,
            loaded_at = now(),
            run_id = excluded.run_id
        where
        (
            t.channel_id, t.views, t.likes, t.dislikes, t.comments, t.shares,
            t.estimated_minutes_watched, t.average_view_duration, t.estimated_revenue,
            t.estimated_ad_revenue
        )
        is distinct from
        (
            excluded.channel_id, excluded.views, excluded.likes, excluded.dislikes,
            excluded.comments, excluded.shares, excluded.estimated_minutes_watched,
            excluded.average_view_duration, excluded.estimated_revenue,
            excluded.estimated_ad_revenue
        )
    returning t.video_id
)

select
    (select count(*) from staged) as staged,
    (select count(*) from upserted) as changed,
    (select count(*) from removed) as removed

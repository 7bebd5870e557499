-- Merges one channel's staged videos.list answers into dim_video:
-- - new videos are inserted; one published after the channel's previous uploads
--   sync (%(previous_sync_at)s) starts from zero (its first snapshot counts in full);
-- - known videos get their current metadata and are available again;
-- - requested videos that videos.list no longer returns (deleted, private) are
--   marked unavailable since %(at)s.
-- `category` is the category's name from the videoCategories.list cache (the
-- id where the name is unknown). Unchanged rows are not written.
with staged as (
    select
        s.video_id,
        s.title,
        s.description,
        s.duration_seconds,
        s.publish_date,
        s.thumbnail_url,
        s.tags,
        left(s.category_id, 10) as category_id,
        left(coalesce(c.title, s.category_id), 100) as category
    from pg_temp.catalog_video_stage as s
    left join analytics.youtube_video_category as c on s.category_id = c.category_id
),

merged as (
    insert into analytics.dim_video as v (
        video_id, channel_id, title, description, duration_seconds, publish_date,
        thumbnail_url, tags, category_id, category, starts_from_zero, is_available,
        unavailable_since
    )
    select
        s.video_id,
        %(channel_id)s::varchar as channel_id,
        s.title,
        s.description,
        s.duration_seconds,
        s.publish_date,
        s.thumbnail_url,
        s.tags,
        s.category_id,
        s.category,
        coalesce(s.publish_date > %(previous_sync_at)s::timestamptz, false) as starts_from_zero,
        true as is_available,
        null::timestamptz as unavailable_since
    from staged as s
    on conflict (video_id) do update
        set
            channel_id = excluded.channel_id,
            title = excluded.title,
            description = excluded.description,
            duration_seconds = excluded.duration_seconds,
            publish_date = excluded.publish_date,
            thumbnail_url = excluded.thumbnail_url,
            tags = excluded.tags,
            category_id = excluded.category_id,
            category = excluded.category,
            is_available = true,
            unavailable_since = null
        where (
            v.channel_id, v.title, v.description, v.duration_seconds, v.publish_date,
            v.thumbnail_url, v.tags, v.category_id, v.category, v.is_available
        ) is distinct from (
            excluded.channel_id, excluded.title, excluded.description, excluded.duration_seconds,
            excluded.publish_date, excluded.thumbnail_url, excluded.tags, excluded.category_id,
            excluded.category, true
        )
    returning v.video_id, (v.xmax = 0) as inserted
),

vanished as (
    update analytics.dim_video as v
    set
        is_available = false,
        unavailable_since = %(at)s
    where
        v.channel_id = %(channel_id)s
        and v.is_available
        and v.video_id = any(%(requested)s::text[])
        and not exists (
            select
            from staged as s
            where s.video_id = v.video_id
        )
    returning v.video_id
)

select
    count(*) filter (where merged.inserted) as inserted,
    count(*) filter (where not merged.inserted) as updated,
    (select count(*) from vanished) as marked_unavailable
from merged

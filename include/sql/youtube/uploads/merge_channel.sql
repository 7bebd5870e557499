-- Refreshes the descriptive columns of the staged channel. The operator registers
-- a channel (id, monetisation); the collectors keep its name, handle and counts.
-- Rows change only when a value changed, so a repeated sync writes nothing.
with staged as (
    select
        channel_id,
        channel_name,
        channel_handle,
        subscriber_count,
        total_video_count,
        uploads_playlist_id,
        created_date
    from pg_temp.catalog_channel_stage
),

final as (
    select
        s.channel_id,
        left(s.channel_name, 255) as channel_name,
        coalesce(left(s.channel_handle, 100), c.channel_handle) as channel_handle,
        coalesce(s.subscriber_count::integer, c.subscriber_count) as subscriber_count,
        coalesce(s.total_video_count::integer, c.total_video_count) as total_video_count,
        coalesce(s.uploads_playlist_id, c.uploads_playlist_id) as uploads_playlist_id,
        coalesce(c.created_date, s.created_date) as created_date
    from staged as s
    inner join analytics.dim_channel as c on s.channel_id = c.channel_id
)

update analytics.dim_channel as c
set
    channel_name = f.channel_name,
    channel_handle = f.channel_handle,
    subscriber_count = f.subscriber_count,
    total_video_count = f.total_video_count,
    uploads_playlist_id = f.uploads_playlist_id,
    created_date = f.created_date
from final as f
where
    c.channel_id = f.channel_id
    and (
        c.channel_name, c.channel_handle, c.subscriber_count, c.total_video_count,
        c.uploads_playlist_id, c.created_date
    ) is distinct from (
        f.channel_name, f.channel_handle, f.subscriber_count, f.total_video_count,
        f.uploads_playlist_id, f.created_date
    )

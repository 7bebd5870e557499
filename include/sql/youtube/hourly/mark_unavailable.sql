-- Requested videos that videos.list no longer returns (deleted, private) are no
-- longer expected; the next uploads sync makes them available again if they return.
update analytics.dim_video
set
    is_available = false,
    unavailable_since = %(hour)s
where
    channel_id = %(channel_id)s
    and is_available
    and video_id = any(%(video_ids)s::text[])

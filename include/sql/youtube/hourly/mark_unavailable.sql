-- Requested videos that videos.list no longer returns (deleted, private) are no
-- longer expected; the next uploads sync makes them available again if they return.
-- The (channel, video) pairs of every channel written; one row per video marked.
update analytics.dim_video as v
set
    is_available = false,
    unavailable_since = %(hour)s
from unnest(%(channel_ids)s::text[], %(video_ids)s::text[]) as m (channel_id, video_id)
where
    v.channel_id = m.channel_id
    and v.video_id = m.video_id
    and v.is_available
returning v.channel_id

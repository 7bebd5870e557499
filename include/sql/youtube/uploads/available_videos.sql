-- The channel's videos that are expected in videos.list now.
select video_id
from analytics.dim_video
where channel_id = %(channel_id)s and is_available
order by video_id

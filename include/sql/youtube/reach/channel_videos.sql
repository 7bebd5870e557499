select video_id
from analytics.dim_video
where channel_id = %(channel_id)s

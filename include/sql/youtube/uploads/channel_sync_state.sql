-- The channel's previous uploads sync (new videos published after it start from zero).
select last_uploads_sync_at
from analytics.dim_channel
where channel_id = %(channel_id)s

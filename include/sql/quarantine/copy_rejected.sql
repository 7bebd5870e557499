copy analytics.load_quarantine (source, reason, payload, channel_id, video_id, day, run_id)
from stdin

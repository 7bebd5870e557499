copy analytics.yt_reach_daily (
    video_id, day, channel_id, impressions, ctr, report_id, report_created_at, run_id
)
from stdin

copy pg_temp.stage_yt_video_daily (
    video_id, views, likes, dislikes, comments, shares, estimated_minutes_watched,
    average_view_duration, estimated_revenue, estimated_ad_revenue
) from stdin

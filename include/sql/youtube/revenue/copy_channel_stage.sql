copy pg_temp.stage_yt_channel_daily (
    views, estimated_minutes_watched, estimated_revenue, estimated_ad_revenue
) from stdin

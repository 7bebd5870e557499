copy pg_temp.catalog_channel_stage (
    channel_id, channel_name, channel_handle, subscriber_count, total_video_count,
    uploads_playlist_id, created_date
) from stdin

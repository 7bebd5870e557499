copy pg_temp.hourly_counter_stage (
    channel_id, video_id, view_count, like_count, comment_count
) from stdin

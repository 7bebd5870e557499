copy pg_temp.catalog_video_stage (
    video_id, title, description, duration_seconds, publish_date, thumbnail_url, tags, category_id
) from stdin

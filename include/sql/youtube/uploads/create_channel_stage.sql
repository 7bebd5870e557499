-- Session-local staging for one channels.list answer; emptied at every commit.
create temp table if not exists catalog_channel_stage (
    channel_id text not null,
    channel_name text not null,
    channel_handle text,
    subscriber_count bigint,
    total_video_count bigint,
    uploads_playlist_id text,
    created_date date
) on commit delete rows

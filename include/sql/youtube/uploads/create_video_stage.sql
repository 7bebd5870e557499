-- Session-local staging for videos.list (snippet, contentDetails) answers.
create temp table if not exists catalog_video_stage (
    video_id text not null,
    title text not null,
    description text,
    duration_seconds integer,
    publish_date timestamptz,
    thumbnail_url text,
    tags text[],
    category_id text
) on commit delete rows

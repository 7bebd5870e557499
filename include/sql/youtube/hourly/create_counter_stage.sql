-- Session-local staging for the validated videos.list statistics of every channel of
-- a mapped task (one COPY for all of them).
create temp table if not exists hourly_counter_stage (
    channel_id text not null,
    video_id text not null,
    view_count bigint not null,
    like_count bigint,
    comment_count bigint
) on commit delete rows

-- Session-local staging for one channel's validated videos.list statistics.
create temp table if not exists hourly_counter_stage (
    video_id text not null,
    view_count bigint not null,
    like_count bigint,
    comment_count bigint
) on commit delete rows

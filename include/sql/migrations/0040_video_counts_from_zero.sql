-- A video published after its channel's previous uploads sync started from zero
-- while we were watching: the hourly collector counts its whole first snapshot
-- as its first increment instead of taking it as a baseline. Decided once, when
-- an uploads sync discovers the video (docs/youtube-hourly-collector.md).
alter table analytics.dim_video
add column starts_from_zero boolean not null default false;

comment on column analytics.dim_video.starts_from_zero is
'Published after the channel''s previous uploads sync: the first snapshot counts in full.';

-- The per-channel "is a later hour already collected" test of the hourly collector.
create index idx_snapshot_channel_hour
on analytics.video_stats_snapshot (channel_id, snapshot_hour);

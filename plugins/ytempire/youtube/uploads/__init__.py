"""The uploads sync: a channel's descriptive columns, its uploads list and its videos'
metadata (`dim_channel`, `dim_video`), from the Data API.

Both YouTube loads need it before they ask for a channel's videos; the runner
(`ytempire.youtube.runner`) runs it as the channel's `sync` step when the load says it
is due: `fetch` (every API read, before any write), `parse`, `write` (one transaction).

What it reads: `channels.list` (snippet, contentDetails, statistics: 1 unit) for the
channel's name, handle, subscriber and video counts and its uploads playlist id;
`playlistItems.list` pages (50 a page) for its uploads; `videos.list` (snippet,
contentDetails; 50 ids a call) over the uploads plus every video already known as
available; `videoCategories.list` only for category ids not yet cached in
`analytics.youtube_video_category`.

What it writes: new videos are inserted (title, description, publish time, duration in
seconds from ISO 8601, tags, category, thumbnail); known ones get their current
metadata; `category` is YouTube's category name and `video_type` the content system's
label (`analytics.content_video_type`), else the operators' mapping from the category
(`analytics.video_type_by_category`); known videos that `videos.list` no longer returns
(deleted, private) are marked unavailable; a video published after the channel's
previous sync starts from zero (`starts_from_zero`); the channel's
`last_uploads_sync_at` moves to the run's logical time (never back). SQL in
`include/sql/youtube/uploads/`.
"""

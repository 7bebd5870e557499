-- When the channel's uploads list was last read. Never moves back in time, so a
-- backfill that syncs "as of" an earlier date does not undo a newer sync.
update analytics.dim_channel
set last_uploads_sync_at = greatest(last_uploads_sync_at, %(at)s::timestamptz)
where channel_id = %(channel_id)s

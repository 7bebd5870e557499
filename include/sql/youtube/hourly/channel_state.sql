-- One channel's state for the hourly run of %(hour)s: its previous uploads sync,
-- since when it needs re-authorisation (if it does), and whether a later hour
-- has already been collected (then %(hour)s can no longer be observed again).
select
    c.last_uploads_sync_at,
    (c.metadata -> 'needs_reauthorisation' ->> 'since')::timestamptz as reauthorisation_since,
    exists(
        select
        from analytics.video_stats_snapshot as s
        where s.channel_id = c.channel_id and s.snapshot_hour > %(hour)s
    ) as later_hour_collected
from analytics.dim_channel as c
where c.channel_id = %(channel_id)s

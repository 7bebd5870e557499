-- A re-run of the hour replaces what that hour quarantined for the channel.
delete from analytics.load_quarantine
where
    source = %(source)s
    and channel_id = %(channel_id)s
    and payload ->> 'snapshot_hour' = %(hour_text)s

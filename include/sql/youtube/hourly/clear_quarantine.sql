-- A re-run of the hour replaces what that hour quarantined for the channels written.
delete from analytics.load_quarantine
where
    source = %(source)s
    and channel_id = any(%(channel_ids)s::text[])
    and payload ->> 'snapshot_hour' = %(hour_text)s

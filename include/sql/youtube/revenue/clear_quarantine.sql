-- A re-load of a channel's day replaces what its previous load quarantined.
delete from analytics.load_quarantine as q
where
    q.source = any(%(sources)s::text[])
    and q.channel_id = %(channel_id)s
    and q.day is not distinct from %(day)s::date

-- Marks (or, with a null reason, clears) a channel's need to be re-authorised.
-- The channel stays active so the missing-data check keeps reporting it.
update analytics.dim_channel
set
    metadata = case
        when %(reason)s::text is null then coalesce(metadata, '{}') - 'needs_reauthorisation'
        else coalesce(metadata, '{}') || jsonb_build_object(
            'needs_reauthorisation', jsonb_build_object('reason', %(reason)s::text, 'since', %(at)s::text)
        )
    end
where
    channel_id = %(channel_id)s
    and (%(reason)s::text is not null or metadata ? 'needs_reauthorisation')

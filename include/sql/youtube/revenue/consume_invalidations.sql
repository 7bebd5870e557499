-- The change entries of one channel and day that this load re-attributed.
delete from analytics.revenue_input_invalidation as l
where
    l.id <= %(mark)s
    and l.revenue_date = %(day)s::date
    and coalesce(
        (
            select v.channel_id from analytics.dim_video as v
            where v.video_id = l.video_id
        ),
        l.channel_id
    ) = %(channel_id)s

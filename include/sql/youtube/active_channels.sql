-- The channels the bundle collects, with the connection each authorises through.
select
    channel_id,
    coalesce(metadata ->> 'youtube_conn_id', %(default_conn_id)s) as conn_id,
    coalesce(monetization_enabled, false) as monetized
from analytics.dim_channel
where status = 'active'
order by channel_id

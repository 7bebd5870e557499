-- The operator's registration of one channel (README): id, monetised or not,
-- niche, and the Airflow connection that reads it. A registered channel is left
-- as it is.
insert into analytics.dim_channel (
    channel_id, channel_name, monetization_enabled, niche, metadata
)
values (
    %(channel_id)s, %(channel_name)s, %(monetized)s, %(niche)s,
    jsonb_build_object('youtube_conn_id', %(conn_id)s::text)
)
on conflict (channel_id) do nothing

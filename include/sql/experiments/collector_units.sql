-- Active channels with their connection and available videos: what the other YouTube
-- DAGs' daily Data API units are estimated from.
select
    c.channel_id,
    coalesce(c.metadata ->> 'youtube_conn_id', %(default_conn_id)s) as conn_id,
    count(v.video_id) filter (where v.is_available) as videos
from analytics.dim_channel as c
left join analytics.dim_video as v on c.channel_id = v.channel_id
where c.status = 'active'
group by c.channel_id, c.metadata

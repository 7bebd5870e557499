-- Experiments in the given statuses, with their video's channel and connection.
select
    e.experiment_id,
    e.video_id,
    e.kind,
    e.metric,
    e.block_hours,
    e.blocks,
    e.warmup_hours,
    e.min_detectable_effect::float8 as min_detectable_effect,
    e.alpha::float8 as alpha,
    e.power::float8 as power,
    e.seed,
    e.starts_at,
    e.ends_at,
    e.status,
    e.paused_for,
    e.pair_sd::float8 as pair_sd,
    e.concluded_at,
    e.settled_at,
    e.announced_at,
    v.channel_id,
    coalesce(v.is_available, false) as video_available,
    coalesce(c.metadata ->> 'youtube_conn_id', %(default_conn_id)s) as conn_id
from analytics.experiment as e
left join analytics.dim_video as v on e.video_id = v.video_id
left join analytics.dim_channel as c on v.channel_id = c.channel_id
where e.status = any(%(statuses)s)
order by e.experiment_id

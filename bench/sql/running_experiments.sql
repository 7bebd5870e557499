-- The first running experiment of each metric: what the hourly run reads its blocks for.
select distinct on (e.metric)
    e.metric,
    e.experiment_id,
    e.video_id
from analytics.experiment as e
where e.status = 'running'
order by e.metric asc, e.experiment_id asc

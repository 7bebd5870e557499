select experiment_id
from analytics.experiment
where
    video_id = %(video_id)s
    and status in ('running', 'paused')
    and experiment_id <> %(experiment_id)s

update analytics.experiment
set announced_at = %(at)s
where experiment_id = %(experiment_id)s

update analytics.experiment
set settled_at = %(at)s
where experiment_id = %(experiment_id)s and status = 'concluded'

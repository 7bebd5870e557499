update analytics.experiment
set status = 'running', paused_for = null, status_reason = %(reason)s
where experiment_id = %(experiment_id)s and status = 'paused' and paused_for = 'quota'

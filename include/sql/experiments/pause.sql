update analytics.experiment
set status = 'paused', paused_for = %(paused_for)s, status_reason = %(reason)s
where experiment_id = %(experiment_id)s and status in ('running', 'paused')

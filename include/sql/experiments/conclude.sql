update analytics.experiment
set status = 'concluded', concluded_at = %(at)s, status_reason = %(reason)s
where experiment_id = %(experiment_id)s and status in ('running', 'paused')

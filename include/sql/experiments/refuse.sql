update analytics.experiment
set status = 'refused', status_reason = %(reason)s, designed_at = %(at)s
where experiment_id = %(experiment_id)s and status = 'pending'

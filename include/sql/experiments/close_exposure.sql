update analytics.experiment_exposure
set ended_at = %(started_at)s
where experiment_id = %(experiment_id)s and ended_at is null

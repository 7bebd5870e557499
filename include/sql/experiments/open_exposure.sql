select
    variant,
    started_at
from analytics.experiment_exposure
where experiment_id = %(experiment_id)s and ended_at is null

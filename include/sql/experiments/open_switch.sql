select
    switch_id,
    variant,
    purpose,
    requested_at,
    run_id
from analytics.experiment_switch
where experiment_id = %(experiment_id)s and state = 'intended'

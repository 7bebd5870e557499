update analytics.experiment
set
    status = 'running',
    status_reason = %(reason)s,
    seed = %(seed)s,
    starts_at = %(starts_at)s,
    ends_at = %(ends_at)s,
    designed_at = %(at)s,
    predicted_power = %(predicted_power)s,
    pair_sd = %(pair_sd)s
where experiment_id = %(experiment_id)s and status = 'pending'

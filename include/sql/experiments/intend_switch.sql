insert into analytics.experiment_switch (
    experiment_id, variant, purpose, block_index, requested_at, run_id
)
values (
    %(experiment_id)s, %(variant)s, %(purpose)s, %(block_index)s, %(requested_at)s, %(run_id)s
)
returning switch_id

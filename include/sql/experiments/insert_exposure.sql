insert into analytics.experiment_exposure (
    experiment_id, variant, started_at, applied_by_run, switch_id
)
values (%(experiment_id)s, %(variant)s, %(started_at)s, %(run_id)s, %(switch_id)s)

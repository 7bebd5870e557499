insert into analytics.youtube_quota_ledger (
    project, pacific_day, purpose, units, experiment_id, run_id, spent_at
)
values (
    %(project)s, %(pacific_day)s, %(purpose)s, %(units)s, %(experiment_id)s, %(run_id)s,
    %(at)s
)

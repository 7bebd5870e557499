update analytics.experiment_switch
set state = %(state)s, resolved_at = %(at)s, note = %(note)s
where switch_id = %(switch_id)s and state = 'intended'

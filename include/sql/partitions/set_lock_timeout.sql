-- The current transaction's lock wait (e.g. '10000ms').
select set_config('lock_timeout', %(lock_timeout)s, true)

-- One check class's alert decisions, one run at a time: a session advisory lock,
-- held from reading the class's state until its new state is committed, across
-- the Slack post, while no transaction (and so no row or table lock) is open. It
-- waits at most lock_timeout; a session that ends releases it.
select pg_advisory_lock(hashtext('ytempire.alert_class'), hashtext(%(check_class)s))

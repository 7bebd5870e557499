-- Releases the class's lock (lock_alert_class.sql).
select pg_advisory_unlock(hashtext('ytempire.alert_class'), hashtext(%(check_class)s))

-- One schema deploy at a time (polled: see schema_deploy._wait_for_lock).
select pg_try_advisory_lock(hashtext(%(lock_key)s)) as locked

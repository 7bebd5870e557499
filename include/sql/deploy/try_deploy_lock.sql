-- One schema deploy at a time (polled: see migrations._wait_for_lock).
select pg_try_advisory_lock(hashtext(%(lock_key)s)) as locked

select pg_advisory_unlock(hashtext(%(lock_key)s)) as unlocked

-- The session holding the deploy lock (try_deploy_lock.sql: one bigint key, which
-- pg_locks shows split into classid and objid), to name it when a deploy gives up.
select
    a.pid,
    a.application_name,
    a.state,
    a.backend_start
from pg_locks as l
inner join pg_stat_activity as a on l.pid = a.pid
where
    l.locktype = 'advisory'
    and l.granted
    and l.objsubid = 1
    and l.database = (
        select d.oid from pg_database as d
        where d.datname = current_database()
    )
    and l.objid = (hashtext(%(lock_key)s)::bigint & 4294967295)::oid
order by a.pid

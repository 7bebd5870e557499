-- Indexes of the analytics schema left INVALID (a failed CREATE INDEX
-- CONCURRENTLY, which `if not exists` would then skip), each with the statement
-- that drops it.
select
    i.indexrelid::regclass::text as index_name,
    format('drop index concurrently if exists %s', i.indexrelid::regclass) as drop_statement
from pg_index as i
inner join pg_class as c on i.indexrelid = c.oid
inner join pg_namespace as n on c.relnamespace = n.oid
where n.nspname = 'analytics' and not i.indisvalid
order by 1

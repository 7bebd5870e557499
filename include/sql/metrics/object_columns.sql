-- Columns of a table, view or materialized view, or the output columns of a
-- set-returning function, by qualified name (the metric dictionary's test).
select a.attname as column_name
from pg_catalog.pg_attribute as a
where
    a.attrelid = to_regclass(%(name)s)
    and a.attnum > 0
    and not a.attisdropped
union
select o.column_name
from pg_catalog.pg_proc as p
cross join lateral unnest(p.proargnames, p.proargmodes) as o (column_name, arg_mode)
where
    p.oid = to_regproc(%(name)s)
    and o.arg_mode in ('o', 't')

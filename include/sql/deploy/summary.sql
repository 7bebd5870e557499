-- What the analytics schema holds, by kind of object.
select
    case c.relkind
        when 'r' then 'table'
        when 'p' then 'partitioned table'
        when 'v' then 'view'
        when 'm' then 'materialized view'
    end as kind,
    count(*) as objects,
    string_agg(c.relname, ', ' order by c.relname) as names
from pg_class as c
inner join pg_namespace as n on c.relnamespace = n.oid
where
    n.nspname = 'analytics'
    and c.relkind in ('r', 'p', 'v', 'm')
    and not c.relispartition
group by c.relkind
union all
select
    'function' as kind,
    count(*) as objects,
    string_agg(p.proname, ', ' order by p.proname) as names
from pg_proc as p
inner join pg_namespace as n on p.pronamespace = n.oid
where n.nspname = 'analytics'
union all
select
    'extension' as kind,
    count(*) as objects,
    string_agg(e.extname || ' (' || en.nspname || ')', ', ' order by e.extname) as names
from pg_extension as e
inner join pg_namespace as en on e.extnamespace = en.oid
where e.extname in ('timescaledb', 'pg_stat_statements')

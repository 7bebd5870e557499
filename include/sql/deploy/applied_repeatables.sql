-- The checksum each repeatable file had when it was last applied on this path.
select distinct on (r.name)
    r.name,
    r.checksum
from analytics.schema_repeatables as r
where r.flavor = %(flavor)s
order by r.name asc, r.id desc

-- Whether a role exists (the local stack makes its roles once).
select r.rolname
from pg_roles as r
where r.rolname = %(role)s

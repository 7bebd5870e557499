-- Whether a database exists (the local stack's Airflow metadata is made once).
select d.datname
from pg_database as d
where d.datname = %(name)s

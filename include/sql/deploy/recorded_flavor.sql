-- The path recorded by the first deploy ('plain' or 'timescale'); null before it.
select min(flavor) as flavor from analytics.schema_migrations

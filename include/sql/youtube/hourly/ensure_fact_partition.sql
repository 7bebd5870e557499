-- Serialised before the parallel load: the monthly fact partition (plain path)
-- for the hour the run writes increments to, H - 1 hour (UTC). A no-op when it
-- exists, and on TimescaleDB.
select analytics.ensure_fact_partition(
    ((date_trunc('hour', %(logical_time)s::timestamptz) - interval '1 hour') at time zone 'UTC')::date
) as created

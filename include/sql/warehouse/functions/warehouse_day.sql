-- requires: functions/warehouse_tz
-- The warehouse day of a moment.
create or replace function analytics.warehouse_day(ts timestamptz)
returns date
language sql stable parallel safe
as $$ select (ts at time zone analytics.warehouse_tz())::date $$;

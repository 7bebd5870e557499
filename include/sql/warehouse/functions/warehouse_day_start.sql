-- requires: functions/warehouse_tz
-- The moment a warehouse day starts.
create or replace function analytics.warehouse_day_start(d date)
returns timestamptz
language sql stable parallel safe
as $$ select d::timestamp at time zone analytics.warehouse_tz() $$;

-- requires: functions/warehouse_tz
-- The moment p_days warehouse days before p_at: the same wall-clock time in the
-- warehouse zone, so that a window of whole warehouse days stays whole across a DST
-- change (a timestamptz minus an interval counts days in the session's TimeZone
-- instead: in UTC, 12 weeks before a PST midnight is 01:00 PDT).
create or replace function analytics.warehouse_days_before(p_at timestamptz, p_days integer)
returns timestamptz
language sql stable parallel safe
as $$
    select (p_at at time zone analytics.warehouse_tz() - make_interval(days => p_days))
        at time zone analytics.warehouse_tz()
$$;

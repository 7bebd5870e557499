-- YouTube's days are Pacific-time days, whatever the warehouse time zone.
create or replace function analytics.youtube_day_start(d date)
returns timestamptz
language sql immutable parallel safe
as $$ select d::timestamp at time zone 'America/Los_Angeles' $$;

-- requires: functions/warehouse_day, functions/warehouse_day_start
-- The complete warehouse days inside [p_from, p_to): from_day, the first day start
-- at or after p_from, and to_day, the last day start at or before p_to (never
-- before from_day). Reads take [from_day, to_day) from the daily rollups and the
-- edges [p_from, least(from_day, p_to)) and [to_day, p_to) from the fact table.
create or replace function analytics.complete_days(
    p_from timestamptz,
    p_to timestamptz,
    out from_day timestamptz,
    out to_day timestamptz
)
language sql
stable
as $$
    select
        s.first_day,
        greatest(s.first_day, analytics.warehouse_day_start(analytics.warehouse_day(p_to)))
    from (
        select
            case
                when analytics.warehouse_day_start(analytics.warehouse_day(p_from)) = p_from
                    then p_from
                else analytics.warehouse_day_start(analytics.warehouse_day(p_from) + 1)
            end as first_day
    ) as s
$$;

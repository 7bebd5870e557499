-- requires: functions/roi_by_video_type_live, functions/warehouse_day
-- Query 5's aggregation for the 30 warehouse days before p_as_of: the kept answer
-- (roi_by_video_type_kept, written by refresh_daily_revenue_summary for its day) when
-- one exists for that day and no revenue day of its window is logged as changed
-- since (revenue_invalidation, which changes to the videos' types and categories
-- feed too); otherwise computed from the source tables. Either way the same answer.
create or replace function analytics.roi_by_video_type(p_as_of timestamptz)
returns setof analytics.roi_by_video_type_kept
language plpgsql
stable
as $$
declare
    v_day date := analytics.warehouse_day(p_as_of);
begin
    if exists (select from analytics.roi_by_video_type_kept as k where k.as_of_day = v_day)
        and not exists (
            select
            from analytics.revenue_invalidation as i
            where i.revenue_date >= v_day - 30 and i.revenue_date < v_day
        ) then
        return query
        select * from analytics.roi_by_video_type_kept as k where k.as_of_day = v_day;
    else
        return query select * from analytics.roi_by_video_type_live(v_day);
    end if;
end
$$;

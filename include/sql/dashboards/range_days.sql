-- Executive dashboard, hidden variable "range_days": the warehouse dates of the
-- range's start and end, shown in the titles of panels over those days.
select
    to_char(analytics.warehouse_day($__timeFrom()::timestamptz), 'Mon FMDD')
    || ' – '
    || to_char(analytics.warehouse_day($__timeTo()::timestamptz), 'Mon FMDD') as range_days

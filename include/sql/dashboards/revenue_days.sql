-- Executive dashboard, hidden variable "revenue_days": the revenue dates a panel over
-- the range sums (the warehouse dates of its start and end) and, where YouTube has not
-- reported all of them yet, the newest one it has; shown in the panels' titles.
with span as (
    select
        analytics.warehouse_day($__timeFrom()::timestamptz) as first_day,
        analytics.warehouse_day($__timeTo()::timestamptz) as last_day
),

reported as (
    select max(d.day) as through_day
    from analytics.yt_channel_daily as d
)

select
    to_char(s.first_day, 'Mon FMDD') || ' – ' || to_char(s.last_day, 'Mon FMDD')
    || case
        when r.through_day is null or r.through_day < s.first_day
            then '; no YouTube revenue reported yet'
        when r.through_day < s.last_day
            then '; YouTube reported to ' || to_char(r.through_day, 'Mon FMDD')
        else ''
    end as revenue_days
from span as s
cross join reported as r

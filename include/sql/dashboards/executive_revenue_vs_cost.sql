-- Executive dashboard, "Revenue vs Cost Trend": per revenue date of the range,
-- revenue and cost in dollars, each date drawn at its warehouse midnight. Revenue
-- only up to the newest day YouTube has reported (it reports a day about two days
-- later): a later day has no revenue point, never a false zero; its cost is known.
-- One row per revenue date from analytics.daily_revenue_current (the revenue
-- summary, with the days changed since its refresh summed from revenue_attribution).
with reported as (
    select max(d.day) as through_day
    from analytics.yt_channel_daily as d
)

select
    analytics.warehouse_day_start(r.revenue_date) as time,
    case when r.revenue_date <= y.through_day then r.revenue_cents / 100.0 end as revenue,
    r.cost_cents / 100.0 as cost
from analytics.daily_revenue_current as r
cross join reported as y
where
    r.revenue_date
    between analytics.warehouse_day($__timeFrom()::timestamptz)
    and analytics.warehouse_day($__timeTo()::timestamptz)
order by r.revenue_date

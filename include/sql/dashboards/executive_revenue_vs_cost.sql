-- Executive dashboard, "Revenue vs Cost Trend": per revenue date of the range,
-- revenue and cost in dollars, each date drawn at its warehouse midnight.
select
    analytics.warehouse_day_start(r.revenue_date) as time,
    sum(r.total_revenue_cents) / 100.0 as revenue,
    sum(r.total_cost_cents) / 100.0 as cost
from analytics.revenue_attribution as r
where
    r.revenue_date
    between analytics.warehouse_day($__timeFrom()::timestamptz)
    and analytics.warehouse_day($__timeTo()::timestamptz)
group by r.revenue_date
order by r.revenue_date

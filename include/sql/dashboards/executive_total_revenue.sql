-- Executive dashboard, "Total Revenue": revenue in dollars over the range's revenue
-- dates (warehouse dates of the range's start and end, both included).
select coalesce(sum(r.total_revenue_cents), 0) / 100.0 as total_revenue
from analytics.revenue_attribution as r
where
    r.revenue_date
    between analytics.warehouse_day($__timeFrom()::timestamptz)
    and analytics.warehouse_day($__timeTo()::timestamptz)

-- Executive dashboard, "Average ROI": pooled over the range's revenue dates,
-- 100 * profit / cost; no value without cost. Summed per revenue date from
-- analytics.daily_revenue_current (the revenue summary, with the days changed since
-- its refresh summed from revenue_attribution).
select 100.0 * sum(r.profit_cents) / nullif(sum(r.cost_cents), 0) as roi_percent
from analytics.daily_revenue_current as r
where
    r.revenue_date
    between analytics.warehouse_day($__timeFrom()::timestamptz)
    and analytics.warehouse_day($__timeTo()::timestamptz)

-- Executive dashboard, "Average ROI": pooled over the range's revenue dates,
-- 100 * profit / cost; no value without cost.
select 100.0 * sum(r.profit_cents) / nullif(sum(r.total_cost_cents), 0) as roi_percent
from analytics.revenue_attribution as r
where
    r.revenue_date
    between analytics.warehouse_day($__timeFrom()::timestamptz)
    and analytics.warehouse_day($__timeTo()::timestamptz)

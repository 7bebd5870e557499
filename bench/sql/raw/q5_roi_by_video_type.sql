-- Bench reference: the same answer computed from the source tables (the query as it
-- read before its default window's answer was kept).
-- Spec Query 5: ROI by video type and category over the 30 warehouse days
-- before %(as_of)s. percentile_cont returns double precision: cast before round.
with video_roi as (
    select
        v.video_type,
        v.category,
        count(distinct v.video_id) as video_count,
        avg(r.roi_percentage) as avg_roi,
        percentile_cont(0.5) within group (order by r.roi_percentage) as median_roi,
        sum(r.total_revenue_cents) / 100.0 as total_revenue,
        sum(r.total_cost_cents) / 100.0 as total_cost,
        sum(r.profit_cents) / 100.0 as total_profit
    from analytics.dim_video as v
    inner join analytics.revenue_attribution as r on v.video_id = r.video_id
    where
        r.revenue_date >= analytics.warehouse_day(%(as_of)s::timestamptz) - 30
        and r.revenue_date < analytics.warehouse_day(%(as_of)s::timestamptz)
    group by v.video_type, v.category
)

select
    video_type,
    category,
    video_count,
    round(avg_roi, 2) as avg_roi_percent,
    round(median_roi::numeric, 2) as median_roi_percent,
    total_revenue,
    total_cost,
    total_profit,
    round(total_profit / nullif(video_count, 0), 2) as profit_per_video
from video_roi
where video_count >= 5
order by median_roi desc nulls last, video_type, category

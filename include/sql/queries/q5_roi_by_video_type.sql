-- Spec Query 5: ROI by video type and category over the 30 warehouse days
-- before %(as_of)s (analytics.roi_by_video_type: the answer kept for the default
-- window after each revenue load while it is current, else computed from
-- revenue_attribution and dim_video). percentile_cont returns double precision:
-- cast before round.
with video_roi as (
    select
        r.video_type,
        r.category,
        r.video_count,
        r.avg_roi,
        r.median_roi,
        r.total_revenue,
        r.total_cost,
        r.total_profit
    from analytics.roi_by_video_type(%(as_of)s::timestamptz) as r
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

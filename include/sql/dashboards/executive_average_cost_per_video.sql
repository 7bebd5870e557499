-- Executive dashboard, "Average Cost Per Video": what making a video cost. Costs
-- that carry a video_id, on the range's warehouse dates, summed per video and
-- averaged over those videos (channel-level costs are not the cost of a video).
with video_costs as (
    select
        c.video_id,
        sum(c.cost_cents) as cost_cents
    from analytics.cost_tracking as c
    where
        c.video_id is not null
        and c.timestamp >= analytics.warehouse_day_start(
            analytics.warehouse_day($__timeFrom()::timestamptz)
        )
        and c.timestamp < analytics.warehouse_day_start(
            analytics.warehouse_day($__timeTo()::timestamptz) + 1
        )
    group by c.video_id
)

select avg(v.cost_cents) / 100.0 as average_cost_per_video
from video_costs as v

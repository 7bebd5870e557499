-- Channel Performance Matrix, "Top 10 Videos by Revenue": the selected channels'
-- ten videos with most revenue over the range's revenue dates. One bar per video:
-- the label carries the video id, so two videos with one title are two bars.
select
    coalesce(v.title, r.video_id) || ' (' || r.video_id || ')' as video,
    sum(r.total_revenue_cents) / 100.0 as revenue
from analytics.revenue_attribution as r
left join analytics.dim_video as v on r.video_id = v.video_id
where
    r.channel_id in (${channel:sqlstring})
    and r.revenue_date
    between analytics.warehouse_day($__timeFrom()::timestamptz)
    and analytics.warehouse_day($__timeTo()::timestamptz)
group by r.video_id, v.title
order by revenue desc, r.video_id asc
limit 10

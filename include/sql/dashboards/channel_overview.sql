-- Channel Performance Matrix, "Channel Performance Overview": the 7 complete
-- warehouse days of channel_performance_view (ranks across all channels) for the
-- selected channels, most profitable first.
select
    cp.channel_name,
    cp.video_count,
    cp.total_views,
    round(cp.avg_engagement * 100, 2) as engagement_rate,
    cp.total_revenue,
    cp.total_cost,
    cp.profit,
    cp.revenue_rank
from analytics.channel_performance_view as cp
where cp.channel_id in (${channel:sqlstring})
order by cp.profit desc, cp.channel_name asc, cp.channel_id asc

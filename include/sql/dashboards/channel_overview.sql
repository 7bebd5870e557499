-- Channel Performance Matrix, "Channel Performance Overview": the 7 complete
-- warehouse days of channel_performance_view (ranks across all channels) for the
-- selected channels, most profitable first; money in dollars.
select
    cp.channel_name,
    cp.video_count,
    cp.total_views,
    round(cp.avg_engagement * 100, 2) as engagement_rate,
    round(cp.total_revenue, 2) as total_revenue,
    round(cp.total_cost, 2) as total_cost,
    round(cp.profit, 2) as profit,
    cp.revenue_rank
from analytics.channel_performance_view as cp
where cp.channel_id in (${channel:sqlstring})
order by cp.profit desc, cp.channel_name asc, cp.channel_id asc

-- Bench reference: the same answer computed from the raw tables (the query as it
-- read before the daily rollups' fast reads).
-- Spec Query 4: revenue per thousand views in dollars (the spec's figure was in
-- cents), by warehouse week over the 12 weeks before %(as_of)s. A week without
-- views has no RPM (NULL), rather than an RPM of 0.
with rpm_calc as (
    select
        c.channel_id,
        c.channel_name,
        c.niche,
        date_trunc('week', f.timestamp at time zone analytics.warehouse_tz()) as week,
        sum(f.views) as total_views,
        sum(f.estimated_revenue_cents) as total_revenue_cents,
        case
            when sum(f.views) > 0
                then sum(f.estimated_revenue_cents) / 100.0 / sum(f.views) * 1000
        end as rpm
    from analytics.dim_channel as c
    inner join analytics.fact_video_performance as f on c.channel_id = f.channel_id
    where
        f.timestamp >= analytics.warehouse_days_before(%(as_of)s, 84)
        and f.timestamp < %(as_of)s::timestamptz
    group by c.channel_id, c.channel_name, c.niche, 4
),

rpm_trends as (
    select
        channel_id,
        channel_name,
        niche,
        week,
        rpm,
        avg(rpm) over (
            partition by channel_id order by week rows between 3 preceding and current row
        ) as moving_avg_rpm,
        stddev(rpm) over (partition by channel_id) as rpm_volatility
    from rpm_calc
)

select
    channel_id,
    channel_name,
    niche,
    avg(rpm) as avg_rpm,
    max(rpm) as max_rpm,
    min(rpm) as min_rpm,
    avg(rpm_volatility) as volatility,
    case
        when avg(rpm) > 5 then 'High Performer'
        when avg(rpm) > 2 then 'Average Performer'
        else 'Needs Optimization'
    end as performance_tier
from rpm_trends
group by channel_id, channel_name, niche
order by avg_rpm desc nulls last, channel_id

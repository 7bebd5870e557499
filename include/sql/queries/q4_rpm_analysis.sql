-- Spec Query 4: revenue per thousand views in dollars (the spec's figure was in
-- cents), by warehouse week over the 12 weeks before %(as_of)s. A week without
-- views has no RPM (NULL), rather than an RPM of 0. The window is the daily series
-- per channel (analytics.daily_series); a warehouse day lies in one warehouse week.
-- The zone is read once (a scalar subquery), not by a call of the function for each
-- of the window's channel-days.
with rpm_calc as (
    select
        c.channel_id,
        c.channel_name,
        c.niche,
        date_trunc('week', s.day at time zone (select analytics.warehouse_tz())) as week,
        sum(s.views) as total_views,
        sum(s.revenue_cents) as total_revenue_cents,
        case
            when sum(s.views) > 0
                then sum(s.revenue_cents) / 100.0 / sum(s.views) * 1000
        end as rpm
    from analytics.dim_channel as c
    inner join analytics.daily_series(
        analytics.warehouse_days_before(%(as_of)s, 84), %(as_of)s::timestamptz, p_by_video => false
    ) as s on c.channel_id = s.channel_id
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

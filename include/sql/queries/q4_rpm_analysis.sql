-- Spec Query 4: revenue per thousand views in dollars (the spec's figure was in
-- cents), by warehouse week over the 12 weeks before %(as_of)s. A week without
-- views has no RPM (NULL), rather than an RPM of 0. Complete warehouse days come
-- from the per-channel daily rollup, the partial days at the edges from the fact
-- table (analytics.complete_days); a warehouse day lies in one warehouse week.
with bounds as (
    select
        w.from_ts,
        w.to_ts,
        d.from_day,
        d.to_day
    from (
        select
            %(as_of)s::timestamptz - interval '12 weeks' as from_ts,
            %(as_of)s::timestamptz as to_ts
    ) as w
    cross join lateral analytics.complete_days(w.from_ts, w.to_ts) as d
),

channel_parts as (
    select
        h.channel_id,
        h.day as ts,
        h.views,
        round(h.revenue * 100) as revenue_cents
    from analytics.channel_daily_current as h
    where
        h.day >= (select b.from_day from bounds as b)
        and h.day < (select b.to_day from bounds as b)
    union all
    select
        f.channel_id,
        f.timestamp,
        f.views,
        f.estimated_revenue_cents
    from analytics.fact_video_performance as f
    where
        (
            f.timestamp >= (select b.from_ts from bounds as b)
            and f.timestamp < (select least(b.from_day, b.to_ts) from bounds as b)
        )
        or (
            f.timestamp >= (select b.to_day from bounds as b)
            and f.timestamp < (select b.to_ts from bounds as b)
        )
),

rpm_calc as (
    select
        c.channel_id,
        c.channel_name,
        c.niche,
        date_trunc('week', p.ts at time zone analytics.warehouse_tz()) as week,
        sum(p.views) as total_views,
        sum(p.revenue_cents) as total_revenue_cents,
        case
            when sum(p.views) > 0
                then sum(p.revenue_cents) / 100.0 / sum(p.views) * 1000
        end as rpm
    from analytics.dim_channel as c
    inner join channel_parts as p on c.channel_id = p.channel_id
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

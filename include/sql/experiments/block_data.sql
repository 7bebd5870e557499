-- Per block: the counts over its analysed window (CTR: clicks and impressions of its
-- Pacific days in yt_reach_daily; views per hour: views and observed hours in
-- fact_video_performance), the units with data, and whether its variant was live over
-- the whole window (an exposure covering it, started within the grace).
with blocks as (
    select
        b.block_index,
        b.pair_index,
        b.variant,
        b.analysed_from,
        b.ends_at,
        (b.analysed_from at time zone 'America/Los_Angeles')::date as first_day,
        (b.ends_at at time zone 'America/Los_Angeles')::date as end_day
    from analytics.experiment_block as b
    where b.experiment_id = %(experiment_id)s
)

select
    b.block_index,
    b.pair_index,
    b.variant,
    coalesce(reach.clicks, views.views, 0)::float8 as numerator,
    coalesce(reach.impressions, views.hours, 0)::float8 as denominator,
    coalesce(reach.days, views.hours, 0) as units_with_data,
    case
        when %(metric)s = 'ctr' then b.end_day - b.first_day
        else floor(extract(epoch from b.ends_at - b.analysed_from) / 3600)::integer
    end as units,
    exists(
        select 1
        from analytics.experiment_exposure as x
        where
            x.experiment_id = %(experiment_id)s
            and x.variant = b.variant
            and x.started_at <= b.analysed_from + %(grace)s
            and coalesce(x.ended_at, 'infinity') >= b.ends_at
    ) as clean
from blocks as b
left join lateral (
    select
        sum(r.impressions * r.ctr) as clicks,
        sum(r.impressions) as impressions,
        count(*) as days
    from analytics.yt_reach_daily as r
    where
        %(metric)s = 'ctr'
        and r.video_id = %(video_id)s
        and r.day >= b.first_day
        and r.day < b.end_day
) as reach on %(metric)s = 'ctr'
left join lateral (
    select
        sum(f.views) as views,
        count(*) as hours
    from analytics.fact_video_performance as f
    where
        %(metric)s = 'views_per_hour'
        and f.video_id = %(video_id)s
        and f.timestamp >= b.analysed_from
        and f.timestamp < b.ends_at
        and not f.daily_row
) as views on %(metric)s = 'views_per_hour'
order by b.block_index

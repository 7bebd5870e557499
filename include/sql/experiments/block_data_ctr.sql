-- Per block: clicks and impressions over its analysed Pacific days, the days with a
-- reach row, and whether its variant was live over the whole analysed window.
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
    coalesce(sum(r.impressions * r.ctr), 0)::float8 as numerator,
    coalesce(sum(r.impressions), 0)::float8 as denominator,
    count(r.day) as units_with_data,
    b.end_day - b.first_day as units,
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
left join analytics.yt_reach_daily as r
    on
        r.video_id = %(video_id)s
        and b.first_day <= r.day
        and b.end_day > r.day
group by b.block_index, b.pair_index, b.variant, b.analysed_from, b.ends_at, b.first_day, b.end_day
order by b.block_index

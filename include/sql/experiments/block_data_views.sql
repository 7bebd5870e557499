-- Per block: views and observed hours over its analysed hours, and whether its variant
-- was live over the whole analysed window.
with blocks as (
    select
        b.block_index,
        b.pair_index,
        b.variant,
        b.analysed_from,
        b.ends_at
    from analytics.experiment_block as b
    where b.experiment_id = %(experiment_id)s
)

select
    b.block_index,
    b.pair_index,
    b.variant,
    coalesce(sum(f.views), 0)::float8 as numerator,
    count(f.timestamp)::float8 as denominator,
    count(f.timestamp) as units_with_data,
    (extract(epoch from b.ends_at - b.analysed_from) / 3600)::integer as units,
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
left join analytics.fact_video_performance as f
    on
        f.video_id = %(video_id)s
        and b.analysed_from <= f.timestamp
        and b.ends_at > f.timestamp
        and not f.daily_row
group by b.block_index, b.pair_index, b.variant, b.analysed_from, b.ends_at
order by b.block_index

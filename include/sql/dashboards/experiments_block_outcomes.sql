-- Experiments, "Per-Block Outcomes": each block's variant, its rate over the analysed
-- window (CTR in percent, or views per hour) and whether it counts in the test.
select
    b.experiment_id as experiment,
    b.block_index as block,
    b.pair_index as pair,
    b.variant,
    b.starts_at as starts,
    b.analysed_from,
    b.ends_at as ends,
    round((case when e.metric = 'ctr' then 100 else 1 end * exp(o.outcome))::numeric, 3)
        as rate,
    o.denominator as impressions_or_hours,
    o.clean as counts,
    o.note
from analytics.experiment_block as b
inner join analytics.experiment as e on b.experiment_id = e.experiment_id
left join analytics.experiment_block_outcome as o
    on b.experiment_id = o.experiment_id and b.block_index = o.block_index
where
    b.starts_at <= $__timeTo()::timestamptz
    and b.ends_at >= $__timeFrom()::timestamptz
order by b.experiment_id desc, b.block_index asc

-- Bench set-up: the design of every started experiment: its blocks (CTR: Pacific days,
-- 23 or 25 hours over a clock change; views per hour: block_hours from the start), in
-- pairs whose order the seed draws, the warm-up left out of the analysed window.
insert into analytics.experiment_block (
    experiment_id, block_index, pair_index, variant, starts_at, ends_at, analysed_from
)
select
    e.experiment_id,
    b,
    b / 2,
    (b + (e.seed * 7 + (b / 2) * 3 + (b / 2) * (b / 2)) %% 2) %% 2,
    w.starts_at,
    w.ends_at,
    w.starts_at + make_interval(hours => e.warmup_hours)
from analytics.experiment as e
cross join generate_series(0, e.blocks - 1) as b
cross join lateral (
    select
        case
            when e.metric = 'ctr'
                then analytics.warehouse_day_start(analytics.warehouse_day(e.starts_at) + b)
            else e.starts_at + make_interval(hours => e.block_hours * b)
        end as starts_at,
        case
            when e.metric = 'ctr'
                then analytics.warehouse_day_start(analytics.warehouse_day(e.starts_at) + b + 1)
            else e.starts_at + make_interval(hours => e.block_hours * (b + 1))
        end as ends_at
) as w
where e.status in ('running', 'concluded')

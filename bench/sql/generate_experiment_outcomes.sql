-- Bench set-up: the outcome of every block whose data is in by %(as_of)s (CTR: its reach
-- reports, about two days after the block; views per hour: its hours): clicks and
-- impressions, or views and analysed hours, and the log rate; every third experiment's
-- challenger does 20 %% better.
insert into analytics.experiment_block_outcome (
    experiment_id, block_index, variant, numerator, denominator, outcome, clean, computed_at
)
select
    b.experiment_id,
    b.block_index,
    b.variant,
    round(n.denominator * n.rate),
    n.denominator,
    ln(round(n.denominator * n.rate) / n.denominator),
    true,
    b.ends_at + l.lag + interval '1 hour'
from analytics.experiment_block as b
inner join analytics.experiment as e on b.experiment_id = e.experiment_id
cross join lateral (
    select case when e.metric = 'ctr' then interval '2 days' else interval '0 hours' end as lag
) as l
cross join lateral (
    select
        case
            when e.metric = 'ctr' then 2000 + (e.seed * 13 + b.block_index * 7) %% 900
            else e.block_hours - e.warmup_hours
        end as denominator,
        case when e.metric = 'ctr' then 0.04 else 30 end
        * (1 + case when e.seed %% 3 = 0 then 0.2 else 0 end * b.variant)
        * (1 + ((e.seed + b.block_index * 5) %% 9 - 4) / 40.0) as rate
) as n
where b.ends_at + l.lag <= %(as_of)s

-- Bench set-up: each experiment's results: the interim look over its complete pairs
-- (running and concluded) and, once concluded, the final test over every block; the
-- effect from the seed, significant where it is at least 10 %%, the winner then the
-- better variant (the methods' names as the analysis writes them).
insert into analytics.experiment_result (
    experiment_id, final, effect, ci_low, ci_high, p_value, winner_variant, blocks_used,
    method, computed_at, run_id
)
select
    e.experiment_id,
    f.final,
    x.effect,
    x.effect - x.half_width,
    x.effect + x.half_width,
    x.p_value,
    case when f.final and x.p_value < e.alpha then (x.effect > 0)::integer end,
    2 * (o.blocks / 2),
    case
        when f.final then 'randomisation test over the design''s pair orders'
        else 'always-valid normal-mixture interval (interim)'
    end,
    o.computed_at,
    null
from analytics.experiment as e
inner join (
    select
        experiment_id,
        count(*) as blocks,
        max(computed_at) as computed_at
    from analytics.experiment_block_outcome
    group by experiment_id
) as o on e.experiment_id = o.experiment_id
cross join (values (false), (true)) as f (final)
cross join lateral (
    select
        ((e.seed * 37) %% 41 - 15) / 100.0 as effect,
        case
            when abs((e.seed * 37) %% 41 - 15) >= 10 and f.final then 0.001 * (1 + e.seed %% 40)
            when f.final then 0.2 + e.seed %% 70 / 100.0
            else 0.3 + e.seed %% 60 / 100.0
        end as p_value,
        case
            when abs((e.seed * 37) %% 41 - 15) >= 10 and f.final then 0.09
            else 0.12 + 0.6 / (o.blocks / 2)
        end as half_width
) as x
where o.blocks >= 2 and (not f.final or e.status = 'concluded')

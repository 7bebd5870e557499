-- Bench set-up: a concluded experiment's status reason from its final result, worded as
-- the analysis words it.
update analytics.experiment as e
set status_reason = concat(
    case
        when r.winner_variant is not null then 'winner: variant ' || r.winner_variant
        else 'no winner: the original stays'
    end,
    '; ', r.blocks_used / 2, ' pair(s) used'
)
from analytics.experiment_result as r
where e.experiment_id = r.experiment_id and r.final

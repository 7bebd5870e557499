-- Concluded experiments whose final variant is live and that Slack has not heard of.
select
    e.experiment_id,
    e.video_id,
    e.kind,
    e.metric,
    e.blocks,
    r.effect::float8 as effect,
    r.ci_low::float8 as ci_low,
    r.ci_high::float8 as ci_high,
    r.p_value::float8 as p_value,
    r.winner_variant,
    r.blocks_used,
    e.alpha::float8 as alpha,
    v.title as original_title,
    c.title as challenger_title
from analytics.experiment as e
inner join analytics.experiment_result as r on e.experiment_id = r.experiment_id and r.final
left join analytics.experiment_variant as v on e.experiment_id = v.experiment_id and v.variant = 0
left join analytics.experiment_variant as c on e.experiment_id = c.experiment_id and c.variant = 1
where e.status = 'concluded' and e.settled_at is not null and e.announced_at is null
order by e.experiment_id

-- Experiments, "Experiments": every experiment running, paused or concluded in the range,
-- with its design, its power before the start and its result (the final one, else the
-- always-valid interim one). Effects and intervals in percent.
with latest as (
    select distinct on (experiment_id)
        experiment_id,
        final,
        effect,
        ci_low,
        ci_high,
        p_value,
        winner_variant,
        blocks_used
    from analytics.experiment_result
    order by experiment_id asc, final desc
)

select
    e.experiment_id as experiment,
    coalesce(v.title, e.video_id) || ' (' || e.video_id || ')' as video,
    e.kind,
    e.metric,
    e.status,
    e.starts_at as starts,
    e.ends_at as ends,
    e.blocks,
    round(100 * e.min_detectable_effect, 1) as mde_percent,
    round(100 * e.predicted_power, 1) as power_percent,
    case when r.final then 'final' when r.final is not null then 'interim' end as result,
    round(100 * r.effect, 2) as effect_percent,
    round(100 * r.ci_low, 2) as ci_low_percent,
    round(100 * r.ci_high, 2) as ci_high_percent,
    round(r.p_value, 4) as p_value,
    r.winner_variant as winner,
    r.blocks_used,
    e.status_reason as reason
from analytics.experiment as e
left join analytics.dim_video as v on e.video_id = v.video_id
left join latest as r on e.experiment_id = r.experiment_id
where
    e.status in ('running', 'paused', 'concluded')
    and e.starts_at <= $__timeTo()::timestamptz
    and (e.status <> 'concluded' or e.concluded_at >= $__timeFrom()::timestamptz)
order by e.experiment_id desc

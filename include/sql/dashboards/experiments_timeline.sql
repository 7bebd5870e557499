-- Experiments, "Variant Timeline": which variant was live when (each exposure from the
-- instant its switch took effect), for the experiments of the range; the title shown.
select
    x.experiment_id as experiment,
    x.variant,
    coalesce(ev.title, 'thumbnail ' || x.variant) as shown,
    x.started_at as live_from,
    x.ended_at as live_until,
    round(
        extract(epoch from coalesce(x.ended_at, $__timeTo()::timestamptz) - x.started_at)
        / 3600.0, 1
    ) as hours,
    x.applied_by_run as run
from analytics.experiment_exposure as x
inner join analytics.experiment as e on x.experiment_id = e.experiment_id
left join analytics.experiment_variant as ev
    on x.experiment_id = ev.experiment_id and x.variant = ev.variant
where
    x.started_at <= $__timeTo()::timestamptz
    and coalesce(x.ended_at, 'infinity') >= $__timeFrom()::timestamptz
order by x.experiment_id desc, x.started_at asc

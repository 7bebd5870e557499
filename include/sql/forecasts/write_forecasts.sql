-- The staged forecasts (origin_date = trained_through) into forecast_daily, rounded to
-- hundredths; a row whose figures and model are unchanged is left as it was (its run_id
-- and created_at too), so a re-run over the same data writes identical rows.
insert into analytics.forecast_daily as f (
    channel_id, metric, trained_through, target_date, horizon_days,
    point, lo_80, hi_80, lo_95, hi_95, model, run_id
)
select
    s.channel_id,
    s.metric,
    s.origin_date,
    s.target_date,
    s.horizon_days,
    round(s.point, 2) as point,
    round(s.lo_80, 2) as lo_80,
    round(s.hi_80, 2) as hi_80,
    round(s.lo_95, 2) as lo_95,
    round(s.hi_95, 2) as hi_95,
    s.model,
    %(run_id)s
from pg_temp.forecast_stage as s
on conflict (channel_id, metric, trained_through, target_date) do update
    set
        horizon_days = excluded.horizon_days,
        point = excluded.point,
        lo_80 = excluded.lo_80,
        hi_80 = excluded.hi_80,
        lo_95 = excluded.lo_95,
        hi_95 = excluded.hi_95,
        model = excluded.model,
        run_id = excluded.run_id,
        created_at = excluded.created_at
    where
    (f.point, f.lo_80, f.hi_80, f.lo_95, f.hi_95, f.model)
    is distinct from
    (excluded.point, excluded.lo_80, excluded.hi_80, excluded.lo_95, excluded.hi_95, excluded.model)

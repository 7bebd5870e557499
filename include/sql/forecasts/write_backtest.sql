-- The staged back-test rows into forecast_backtest, rounded to hundredths; unchanged
-- rows are left as they were (run_id and created_at too).
insert into analytics.forecast_backtest as b (
    channel_id, metric, model, origin_date, target_date, horizon_days, actual,
    point, lo_80, hi_80, lo_95, hi_95, backtest_through, run_id
)
select
    s.channel_id,
    s.metric,
    s.model,
    s.origin_date,
    s.target_date,
    s.horizon_days,
    s.actual,
    round(s.point, 2) as point,
    round(s.lo_80, 2) as lo_80,
    round(s.hi_80, 2) as hi_80,
    round(s.lo_95, 2) as lo_95,
    round(s.hi_95, 2) as hi_95,
    s.backtest_through,
    %(run_id)s
from pg_temp.forecast_stage as s
on conflict (channel_id, metric, model, origin_date, target_date) do update
    set
        horizon_days = excluded.horizon_days,
        actual = excluded.actual,
        point = excluded.point,
        lo_80 = excluded.lo_80,
        hi_80 = excluded.hi_80,
        lo_95 = excluded.lo_95,
        hi_95 = excluded.hi_95,
        backtest_through = excluded.backtest_through,
        run_id = excluded.run_id,
        created_at = excluded.created_at
    where
    (b.actual, b.point, b.lo_80, b.hi_80, b.lo_95, b.hi_95, b.backtest_through)
    is distinct from
    (
        excluded.actual, excluded.point, excluded.lo_80, excluded.hi_80,
        excluded.lo_95, excluded.hi_95, excluded.backtest_through
    )

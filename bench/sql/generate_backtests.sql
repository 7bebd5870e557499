-- Bench set-up: the rolling-origin back-tests a weekly run leaves, per channel and
-- metric: the back-test in force (through %(through)s minus the channel's weekday offset,
-- 8 origins a week apart) and the origins only the %(older)s earlier weekly back-tests
-- hold (a newer back-test overwrites the rows of origins it shares); 3 models, horizons
-- 1-7. Actuals from the channel's mean final day with a weekly rhythm; each model errs
-- by its own share, the channel's chosen model least (generate_forecasts.sql).
insert into analytics.forecast_backtest (
    channel_id, metric, model, origin_date, target_date, horizon_days, actual,
    point, lo_80, hi_80, lo_95, hi_95, backtest_through, run_id
)
select
    s.channel_id,
    s.metric,
    x.model,
    o.origin_date,
    o.origin_date + h,
    h,
    a.actual,
    p.point,
    greatest(p.point - w.w80, 0),
    p.point + w.w80,
    greatest(p.point - w.w95, 0),
    p.point + w.w95,
    o.backtest_through,
    'bench_weekly_' || o.backtest_through
from (
    select
        d.channel_id,
        substr(d.channel_id, 8)::integer as c,
        k.metric,
        k.m,
        avg(case when k.m = 0 then d.views else round(d.estimated_revenue * 100) end)
            as level
    from analytics.yt_channel_daily as d
    cross join (values ('views', 0), ('revenue_cents', 1)) as k (metric, m)
    group by d.channel_id, k.metric, k.m
) as s
cross join generate_series(1, 8 + %(older)s) as n
cross join lateral (
    select
        %(through)s::date - s.c %% 7 - 7 * n as origin_date,
        %(through)s::date - s.c %% 7 - 7 * greatest(n - 8, 0) as backtest_through
) as o
cross join (values ('auto_ets', 0), ('auto_theta', 1), ('seasonal_naive', 2)) as x (model, i)
cross join generate_series(1, 7) as h
cross join lateral (
    select round(s.level * (1 + ((s.c + n * 7 + h) %% 7 - 3) / 20.0), 2) as actual
) as a
cross join lateral (
    select
        round(
            a.actual * (
                1 + case when x.i = (s.c + s.m) %% 3 then 0.05 else 0.12 + 0.03 * x.i end
                * ((s.c + n * 3 + h * 5) %% 11 - 5) / 5.0
            ),
            2
        ) as point
) as p
cross join lateral (
    select
        round(p.point * (0.08 + 0.01 * h), 2) as w80,
        round(p.point * 1.5 * (0.08 + 0.01 * h), 2) as w95
) as w

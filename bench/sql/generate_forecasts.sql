-- Bench set-up: the forecasts the last %(runs)s daily runs leave, trained through the
-- days up to %(through)s: per channel, metric and run, 30 days from the mean of its
-- last 28 final days (yt_channel_daily), with a weekly rhythm, a channel's own trend
-- (some decline) and 80 %% / 95 %% bands widening with the horizon; the model is the
-- channel's choice in the bench back-test (generate_backtests.sql).
insert into analytics.forecast_daily (
    channel_id, metric, trained_through, target_date, horizon_days,
    point, lo_80, hi_80, lo_95, hi_95, model, run_id
)
select
    s.channel_id,
    s.metric,
    s.trained_through,
    s.trained_through + h,
    h,
    p.point,
    greatest(p.point - w.w80, 0),
    p.point + w.w80,
    greatest(p.point - w.w95, 0),
    p.point + w.w95,
    (array['auto_ets', 'auto_theta', 'seasonal_naive'])[1 + (s.c + s.m) %% 3],
    'bench_daily_' || s.trained_through
from (
    select
        d.channel_id,
        substr(d.channel_id, 8)::integer as c,
        k.metric,
        k.m,
        t.trained_through,
        avg(case when k.m = 0 then d.views else round(d.estimated_revenue * 100) end)
            as level
    from generate_series(0, %(runs)s - 1) as r
    cross join lateral (select %(through)s::date - r as trained_through) as t
    cross join (values ('views', 0), ('revenue_cents', 1)) as k (metric, m)
    inner join analytics.yt_channel_daily as d
        on d.day <= t.trained_through and d.day > t.trained_through - 28
    group by d.channel_id, k.metric, k.m, t.trained_through
) as s
cross join generate_series(1, 30) as h
cross join lateral (
    select
        round(
            s.level * (1 + ((s.c + h) %% 7 - 3) / 20.0) * (1 + (s.c %% 9 - 5) * h / 1000.0), 2
        ) as point
) as p
cross join lateral (
    select
        round(p.point * (0.08 + 0.01 * h), 2) as w80,
        round(p.point * 1.5 * (0.08 + 0.01 * h), 2) as w95
) as w

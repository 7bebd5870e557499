-- The bench's back-tested channels' rows copied to the others: channel k (UCbench<k>)
-- gets those of channel k mod %(tested)s.
insert into analytics.forecast_backtest (
    channel_id, metric, model, origin_date, target_date, horizon_days, actual,
    point, lo_80, hi_80, lo_95, hi_95, backtest_through, run_id
)
select
    c.channel_id,
    b.metric,
    b.model,
    b.origin_date,
    b.target_date,
    b.horizon_days,
    b.actual,
    b.point,
    b.lo_80,
    b.hi_80,
    b.lo_95,
    b.hi_95,
    b.backtest_through,
    'bench_copy' as run_id
from analytics.dim_channel as c
inner join analytics.forecast_backtest as b
    on b.channel_id = 'UCbench' || lpad(mod(substr(c.channel_id, 8)::int, %(tested)s)::text, 6, '0')
where substr(c.channel_id, 8)::int >= %(tested)s

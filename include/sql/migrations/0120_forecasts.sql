-- Forecasts (issue 19, DESIGN "Forecasts"): per active channel and metric, the next
-- 30 days from its final days, and the rolling-origin back-test the model choice rests on.
create table analytics.forecast_daily (
    channel_id varchar(50) not null,
    metric text not null,
    trained_through date not null,
    target_date date not null,
    horizon_days smallint not null,
    point numeric not null,
    lo_80 numeric not null,
    hi_80 numeric not null,
    lo_95 numeric not null,
    hi_95 numeric not null,
    model text not null,
    run_id text,
    created_at timestamptz not null default now(),
    primary key (channel_id, metric, trained_through, target_date),
    constraint forecast_daily_metric check (metric in ('views', 'revenue_cents')),
    constraint forecast_daily_horizon check (
        horizon_days between 1 and 30 and target_date = trained_through + horizon_days
    ),
    constraint forecast_daily_interval_order check (
        0 <= lo_95 and lo_95 <= lo_80 and lo_80 <= point and point <= hi_80 and hi_80 <= hi_95
    )
);

create index idx_forecast_daily_target on analytics.forecast_daily (metric, target_date);

-- backtest_through: the newest final day of the back-test that wrote the row (its
-- origins are that day minus 7, 14, ... days); the newest one per channel and metric
-- is the back-test in force.
create table analytics.forecast_backtest (
    channel_id varchar(50) not null,
    metric text not null,
    model text not null,
    origin_date date not null,
    target_date date not null,
    horizon_days smallint not null,
    actual numeric not null,
    point numeric not null,
    lo_80 numeric not null,
    hi_80 numeric not null,
    lo_95 numeric not null,
    hi_95 numeric not null,
    backtest_through date not null,
    run_id text,
    created_at timestamptz not null default now(),
    primary key (channel_id, metric, model, origin_date, target_date),
    constraint forecast_backtest_metric check (metric in ('views', 'revenue_cents')),
    constraint forecast_backtest_horizon check (
        horizon_days >= 1 and target_date = origin_date + horizon_days
        and target_date <= backtest_through
    ),
    constraint forecast_backtest_interval_order check (
        0 <= lo_95 and lo_95 <= lo_80 and lo_80 <= point and point <= hi_80 and hi_80 <= hi_95
    )
);

create index idx_forecast_backtest_through
on analytics.forecast_backtest (channel_id, metric, backtest_through);

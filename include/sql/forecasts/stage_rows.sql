-- A session-local staging table shaped like forecast_backtest (forecast rows leave the
-- back-test columns empty), empty before each COPY into it and at commit.
create temp table if not exists forecast_stage (
    channel_id varchar(50),
    metric text,
    model text,
    origin_date date,
    target_date date,
    horizon_days smallint,
    actual numeric,
    point numeric,
    lo_80 numeric,
    hi_80 numeric,
    lo_95 numeric,
    hi_95 numeric,
    backtest_through date
) on commit delete rows;

truncate pg_temp.forecast_stage;

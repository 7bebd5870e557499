copy pg_temp.forecast_stage (
    channel_id, metric, model, origin_date, target_date, horizon_days, actual,
    point, lo_80, hi_80, lo_95, hi_95, backtest_through
) from stdin

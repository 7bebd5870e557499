-- Per channel and metric of the given channels, the back-test in force and the model it
-- chose (analytics.forecast_backtest_summary) with its conformal half-width (95 percent), from
-- back-tests through %(through)s at most.
select
    s.channel_id,
    s.metric,
    s.model,
    s.backtest_through,
    s.conformal_95
from analytics.forecast_backtest_summary as s
where
    s.chosen
    and s.channel_id = any(%(channel_ids)s)
    and s.backtest_through <= %(through)s

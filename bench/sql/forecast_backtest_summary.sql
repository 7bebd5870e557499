-- The forecasts runbook's look at one channel: its back-test in force scored per model
-- and the model chosen.
select *
from analytics.forecast_backtest_summary
where channel_id = %(channel_id)s
order by metric, model

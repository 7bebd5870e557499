-- A forecast batch (100 channels) back-tests 8 origins x 3 models per series once a week:
-- minutes, not the 60 s / 300 s budget of a load or refresh step (docs/forecasts.md).
insert into analytics.step_budgets (name_pattern, warning_ms, critical_ms)
values ('analytics_forecasts.%', 1800000, 3600000);

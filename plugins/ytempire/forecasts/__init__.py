"""Per-channel forecasts of views and revenue from final days, and their back-test
(docs/forecasts.md): `series` (what the models learn from), `models` (statsforecast),
`write` (the warehouse rows), `run` (one step for a batch of channels)."""

"""The accuracy figures of docs/forecasts.md, on one seed and one origin of the demo world
(the full run is `python -m ytempire_dev.forecast_eval`). Minutes of model fitting: run
with `pytest -m statistical`."""

from __future__ import annotations

import pytest

from ytempire_dev.forecast_eval import evaluate_seed, summarise


@pytest.mark.statistical
@pytest.mark.only_path("plain")
def test_forecasts_beat_seasonal_naive_on_an_unseen_seed(pg_admin_dsn):
    """One path: the figures are the models', the warehouse only holds the rows (both
    paths run the same step in test_forecasts.py)."""
    summary = summarise(evaluate_seed(pg_admin_dsn, seed=5, origins=1))
    # One origin is one week per series: the median ratio moves by several points between
    # origins, so this asserts that the models beat seasonal naive; the 0.90 target is
    # judged on 3 seeds x 4 origins by the full run (docs/forecasts.md).
    assert summary["median_mae_vs_seasonal_naive_h1_7"] < 1.0
    assert summary["chosen_models_worse_than_seasonal_naive_in_own_backtest"] == 0
    # one origin holds ~180 held-out days: a wide binomial margin around the targets
    assert 0.65 <= summary["coverage_80_h1_7"] <= 0.92
    assert 0.85 <= summary["coverage_95_h1_7"] <= 1.0

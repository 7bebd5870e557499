"""The accuracy harness's scoring (ytempire_dev.forecast_eval.summarise) on rows whose
answers are worked out by hand."""

from __future__ import annotations

from ytempire_dev.forecast_eval import summarise


def row(channel, metric, horizon, actual, point, naive, lo80, hi80, lo95, hi95, origin=0,
        ratio=0.9):
    return {"seed": 1, "origin": origin, "channel_id": channel, "metric": metric,
            "horizon": horizon, "actual": actual, "true": actual, "point": point,
            "lo_80": lo80, "hi_80": hi80, "lo_95": lo95, "hi_95": hi95, "model": "auto_ets",
            "seasonal_naive": naive, "backtest_ratio": ratio}


def test_scores_by_hand():
    rows = [
        # channel a, views: model errors 1 and 3 (MAE 2), naive errors 4 and 4 (MAE 4): 0.5
        row("a", "views", 1, 10, 11, 14, 9, 12, 8, 13),   # inside both
        row("a", "views", 2, 10, 13, 6, 11, 14, 9, 15),   # outside 80, inside 95
        # channel b, views: model MAE 3, naive MAE 2: 1.5
        row("b", "views", 1, 20, 23, 22, 21, 24, 19, 25, ratio=1.2),  # outside 80, inside 95
        row("b", "views", 8, 20, 23, 18, 10, 30, 5, 35),  # horizon 8: coverage h1-30 only
        # unmonetised revenue: zeros, left out of ratios and coverage
        row("c", "revenue_cents", 1, 0, 0, 0, 0, 0, 0, 0),
    ]
    s = summarise(rows)
    assert s["series"] == 2
    assert s["median_mae_vs_seasonal_naive_h1_7"] == 1.0  # median of 0.5 and 1.5
    assert s["series_better_than_seasonal_naive"] == 1
    assert s["chosen_models_worse_than_seasonal_naive_in_own_backtest"] == 1
    assert s["coverage_80_h1_7"] == round(1 / 3, 3)
    assert s["coverage_95_h1_7"] == 1.0
    assert s["coverage_80_h1_30"] == 0.5
    assert s["held_out_days_h1_7"] == 3

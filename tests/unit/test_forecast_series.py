"""Pure parts of the forecasts: the day a run may train through, gap filling, viral-day
damping, interval bounds."""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import pytest

from ytempire.forecasts import models, series
from ytempire.forecasts.run import trained_through_limit


@pytest.mark.parametrize(("logical", "through"), [
    (datetime(2026, 3, 8, 14, tzinfo=UTC), date(2026, 3, 7)),   # 07:00 PDT, DST's first day
    (datetime(2026, 3, 8, 7, 59, tzinfo=UTC), date(2026, 3, 6)),  # 23:59 PST on the 7th
    (datetime(2026, 11, 1, 15, tzinfo=UTC), date(2026, 10, 31)),  # 07:00 PST, DST's end
    (datetime(2026, 11, 2, 7, 30, tzinfo=UTC), date(2026, 10, 31)),  # 23:30 PST on Nov 1
])
def test_a_run_trains_through_the_pacific_day_before_its_logical_time(logical, through):
    assert trained_through_limit(logical) == through


def _days(values, first="2026-01-05"):
    return pd.DataFrame({"channel_id": "UCa", "day": pd.date_range(first, periods=len(values)).date,
                         "views": values, "revenue_cents": values})


def test_gap_days_take_the_same_weekday_a_week_before():
    values = [float(10 + i) for i in range(40)]
    days = _days(values).drop(index=[20, 21, 30])
    prepared = series.prepare(["UCa"], days, min_days=28)
    s = prepared.series[prepared.series["unique_id"] == "views:UCa"].reset_index(drop=True)
    assert prepared.gap_days == {"UCa": 3}
    assert s.loc[[20, 21, 30], "y"].tolist() == [values[13], values[14], values[23]]
    assert s["observed"].sum() == 37


def test_a_gap_in_the_first_week_takes_the_week_after():
    values = [float(i) for i in range(30)]
    prepared = series.prepare(["UCa"], _days(values).drop(index=[3]), min_days=28)
    assert prepared.series.loc[3, "y"] == values[10]


def test_viral_days_train_as_the_usual_value_and_zero_medians_stay():
    y = [100.0] * 30 + [1000.0, 120.0]
    frame = pd.DataFrame({"unique_id": "a", "ds": pd.date_range("2026-01-01", periods=32), "y": y})
    assert models.dampened(frame)["y"].tolist() == [100.0] * 30 + [100.0, 120.0]
    zeros = frame.assign(y=[0.0] * 30 + [50.0, 60.0])
    assert models.dampened(zeros)["y"].tolist() == zeros["y"].tolist()


def test_bounds_are_clipped_at_zero_and_nested():
    rows = pd.DataFrame({"unique_id": ["a"], "model": ["m"], "lo_95": [-5.0], "lo_80": [-6.0],
                         "point": [1.0], "hi_80": [0.999999], "hi_95": [3.0]})
    out = models.bounded(rows)
    assert out[list(models.BOUNDS)].iloc[0].tolist() == [0.0, 0.0, 1.0, 1.0, 3.0]
    with pytest.raises(ValueError, match="no finite forecast"):
        models.bounded(rows.assign(point=[np.nan]))


def test_the_95_band_widens_to_the_conformal_half_width_and_never_narrows():
    rows = pd.DataFrame({"unique_id": ["a", "a", "b"], "model": ["m"] * 3,
                         "lo_95": [80.0, 10.0, 5.0], "lo_80": [90.0, 50.0, 6.0],
                         "point": [100.0, 60.0, 7.0], "hi_80": [110.0, 70.0, 8.0],
                         "hi_95": [120.0, 150.0, 9.0]})
    out = models.widened_95(rows, {"a": 30.0})
    # a: 100 +- 30 is wider than 80..120; 60 +- 30 is narrower than 10..150 (kept), and
    # clipped at zero; b has no half-width (too few held-out days): unchanged.
    assert out[list(models.BOUNDS)].values.tolist() == [
        [70.0, 90.0, 100.0, 110.0, 130.0], [10.0, 50.0, 60.0, 70.0, 150.0],
        [5.0, 6.0, 7.0, 8.0, 9.0]]

"""The models (statsforecast) and what is made with them: the rolling-origin back-test and
the 30-day forecast, both with 80 % and 95 % intervals. Data frames in, data frames out:
no warehouse here.

A series is identified by `unique_id` (`series.series_id(channel_id, metric)`) and has one
row per day (`ds`), its value `y` and whether the day was reported (`observed`; a gap day
is filled for the models and never scored).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

SEASON = 7
HORIZON_DAYS = 30
# Back-test: origins a week apart, each forecasting the week after it; the choice of
# model rests on these horizons (1-7).
BACKTEST_ORIGINS = 8
BACKTEST_STEP = 7
BACKTEST_HORIZON = 7
LEVELS = (80, 95)
# A day above SPIKE_CAP times the median of its series' previous SPIKE_WINDOW days is
# trained on as that median by the candidates: a viral day halves within days, and a
# model that took it for a new level would forecast it for a month. Seasonal naive, the
# baseline, always repeats the reported values; scoring always uses them too.
SPIKE_CAP = 3.0
SPIKE_WINDOW = 28

SEASONAL_NAIVE = "seasonal_naive"
CANDIDATES = ("auto_ets", "auto_theta")
BOUNDS = ("lo_95", "lo_80", "point", "hi_80", "hi_95")  # ascending


def backtest_days(min_days: int) -> int:
    """Final days a series needs for the back-test: its first origin trains on `min_days`."""
    return min_days + BACKTEST_ORIGINS * BACKTEST_STEP


def _model(name: str) -> Any:
    from statsforecast.models import AutoETS, AutoTheta, SeasonalNaive

    make = {
        "auto_ets": lambda: AutoETS(season_length=SEASON, alias=name),
        "auto_theta": lambda: AutoTheta(season_length=SEASON, alias=name),
        SEASONAL_NAIVE: lambda: SeasonalNaive(season_length=SEASON, alias=name),
    }
    return make[name]()


def _engine(names: Sequence[str], n_jobs: int) -> Any:
    from statsforecast import StatsForecast

    return StatsForecast(models=[_model(n) for n in names], freq="D", n_jobs=n_jobs)


def _long(wide: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """statsforecast's one column per model and bound -> one row per model."""
    parts = []
    for name in names:
        part = wide[["unique_id", "ds", *(c for c in ("cutoff", "y") if c in wide)]].copy()
        part["model"] = name
        part["point"] = wide[name]
        for level in LEVELS:
            part[f"lo_{level}"] = wide[f"{name}-lo-{level}"]
            part[f"hi_{level}"] = wide[f"{name}-hi-{level}"]
        parts.append(part)
    return bounded(pd.concat(parts, ignore_index=True))


def bounded(rows: pd.DataFrame) -> pd.DataFrame:
    """Nothing below zero (views and revenue cannot be negative) and the bounds nested
    (lo_95 <= lo_80 <= point <= hi_80 <= hi_95: statsforecast's are, up to rounding)."""
    values = rows[list(BOUNDS)].to_numpy(dtype=float)
    if not np.isfinite(values).all():
        bad = rows.loc[~np.isfinite(values).all(axis=1), ["unique_id", "model"]]
        raise ValueError(f"a model gave no finite forecast for {bad.drop_duplicates().values.tolist()}")
    rows[list(BOUNDS)] = np.maximum.accumulate(np.clip(values, 0, None), axis=1)
    return rows


def widened_95(rows: pd.DataFrame, half_width: dict[str, float]) -> pd.DataFrame:
    """Each series' 95 % band at least `half_width[unique_id]` either side of its point:
    the models' own 95 % bands assume one shape of noise and miss viral days, the
    back-test's held-out errors do not (split conformal over the rolling origins)."""
    q = rows["unique_id"].map(half_width).fillna(0.0).to_numpy(dtype=float)
    point = rows["point"].to_numpy(dtype=float)
    rows["lo_95"] = np.minimum(rows["lo_95"].to_numpy(dtype=float), point - q)
    rows["hi_95"] = np.maximum(rows["hi_95"].to_numpy(dtype=float), point + q)
    return bounded(rows)


def dampened(series: pd.DataFrame) -> pd.DataFrame:
    """unique_id, ds, y with viral days (SPIKE_CAP) replaced by their series' usual
    value: what the models train on."""
    ordered = series.sort_values(["unique_id", "ds"])
    usual = ordered.groupby("unique_id")["y"].transform(
        lambda y: y.rolling(SPIKE_WINDOW, min_periods=SEASON).median().shift(1))
    viral = (usual > 0) & (ordered["y"] > SPIKE_CAP * usual)
    return ordered[["unique_id", "ds"]].assign(y=ordered["y"].where(~viral, usual))


def _training(series: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """What models `names` learn from: the reported values for seasonal naive, the
    dampened ones for the candidates."""
    if tuple(names) == (SEASONAL_NAIVE,):
        return series[["unique_id", "ds", "y"]]
    return dampened(series)


def backtest(series: pd.DataFrame, n_jobs: int = 1) -> pd.DataFrame:
    """Every candidate and seasonal naive from BACKTEST_ORIGINS origins a week apart, the
    newest a week before the series' last day (statsforecast's cross_validation): one row
    per series, model, origin and reported target day."""
    parts = []
    for names in (CANDIDATES, (SEASONAL_NAIVE,)):
        wide = _engine(names, n_jobs).cross_validation(
            df=_training(series, names), h=BACKTEST_HORIZON, n_windows=BACKTEST_ORIGINS,
            step_size=BACKTEST_STEP, level=list(LEVELS))
        parts.append(_long(wide.drop(columns="y"), names))
    rows = pd.concat(parts, ignore_index=True).rename(
        columns={"cutoff": "origin_date", "ds": "target_date"})
    reported = series.loc[series["observed"], ["unique_id", "ds", "y"]].rename(
        columns={"ds": "target_date", "y": "actual"})
    rows = rows.merge(reported, on=["unique_id", "target_date"])
    rows["horizon_days"] = (rows["target_date"] - rows["origin_date"]).dt.days
    return rows


def forecast(series: pd.DataFrame, model_of: dict[str, str], n_jobs: int = 1) -> pd.DataFrame:
    """HORIZON_DAYS days after each series' last day from the model chosen for it: one
    row per series and target day."""
    parts = []
    for name in sorted(set(model_of.values())):
        ids = [uid for uid, chosen in model_of.items() if chosen == name]
        df = _training(series[series["unique_id"].isin(ids)], [name])
        wide = _engine([name], n_jobs).forecast(df=df, h=HORIZON_DAYS, level=list(LEVELS))
        parts.append(_long(wide, [name]))
    if not parts:
        return pd.DataFrame(columns=["unique_id", "ds", "model", *BOUNDS])
    rows = pd.concat(parts, ignore_index=True).rename(columns={"ds": "target_date"})
    last = series.groupby("unique_id")["ds"].max().rename("origin_date")
    rows = rows.join(last, on="unique_id")
    rows["horizon_days"] = (rows["target_date"] - rows["origin_date"]).dt.days
    return rows

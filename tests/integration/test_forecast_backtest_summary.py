"""analytics.forecast_backtest_summary on back-test rows the test writes: the back-test in
force scored per model and the model chosen, on awkward data (two candidates tied, a
candidate only equal to seasonal naive, a series without seasonal naive, an older
back-test, horizons beyond 7), against a plain Python scoring; and a read for one
channel reads that channel's rows only (the daily run reads it per batch of channels)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from rows import insert

THROUGH = date(2026, 11, 20)
# channel -> model -> absolute error of every held-out day of the back-test in force
ERRORS = {
    "UCtie": {"auto_ets": 2, "auto_theta": 2, "seasonal_naive": 5},
    "UCequal": {"auto_ets": 5, "auto_theta": 6, "seasonal_naive": 5},
    "UCwins": {"auto_ets": 3, "auto_theta": 1, "seasonal_naive": 4},
}


def row(channel_id, metric, model, origin, horizon, error, through) -> dict:
    actual = 100 + horizon
    return {"channel_id": channel_id, "metric": metric, "model": model,
            "origin_date": origin, "target_date": origin + timedelta(days=horizon),
            "horizon_days": horizon, "actual": actual, "point": actual + error,
            "lo_80": 0, "hi_80": 1000, "lo_95": 0, "hi_95": 1000, "backtest_through": through}


def backtest_rows() -> list[dict]:
    """Two origins, horizons 1-8, in force through THROUGH; for UCwins an older back-test
    (through a week before) with another origin, where seasonal naive was best; UCequal's
    views without seasonal naive."""
    out = []
    for channel_id, errors in ERRORS.items():
        for metric in ("views", "revenue_cents"):
            for model, error in errors.items():
                if channel_id == "UCequal" and metric == "views" and model == "seasonal_naive":
                    continue
                for weeks in (2, 3):
                    for horizon in range(1, 9):
                        # horizon 8 never counts: a large error shows it if it did
                        out.append(row(channel_id, metric, model,
                                       THROUGH - timedelta(days=7 * weeks), horizon,
                                       error if horizon <= 7 else 90, THROUGH))
                if channel_id == "UCwins":
                    out += [row(channel_id, metric, model, THROUGH - timedelta(days=28), h,
                                0 if model == "seasonal_naive" else 9,
                                THROUGH - timedelta(days=7)) for h in range(1, 8)]
    return out


def expected(rows: list[dict]) -> list[tuple]:
    """Per series, its newest back-test's rows at horizons 1-7: MAE per model; the
    candidate with the lowest (MAE, name) if below seasonal naive's, else seasonal naive;
    no rows for a series without seasonal naive."""
    newest: dict = {}
    for r in rows:
        key = (r["channel_id"], r["metric"])
        newest[key] = max(newest.get(key, r["backtest_through"]), r["backtest_through"])
    errors: dict = {}
    for r in rows:
        key = (r["channel_id"], r["metric"])
        if r["backtest_through"] == newest[key] and r["horizon_days"] <= 7:
            errors.setdefault(key, {}).setdefault(r["model"], []).append(
                (r["origin_date"], abs(r["actual"] - r["point"])))
    out = []
    for (channel_id, metric), by_model in errors.items():
        if "seasonal_naive" not in by_model:
            continue
        mae = {m: sum(e for _, e in v) / len(v) for m, v in by_model.items()}
        best = min((m for m in mae if m != "seasonal_naive"), key=lambda m: (mae[m], m))
        chosen = best if mae[best] < mae["seasonal_naive"] else "seasonal_naive"
        for model, v in by_model.items():
            out.append((channel_id, metric, model, newest[(channel_id, metric)],
                        len({o for o, _ in v}), len(v), mae[model], model == chosen))
    return sorted(out)


SUMMARY = ("select channel_id, metric, model, backtest_through, origins, held_out_days, "
           "mae::float8, chosen from analytics.forecast_backtest_summary {} "
           "order by channel_id, metric, model")


@pytest.fixture
def wh(warehouse):
    insert(warehouse, "forecast_backtest", backtest_rows())
    warehouse.execute("analyze analytics.forecast_backtest")
    return warehouse


def test_the_summary_scores_the_backtest_in_force_and_chooses_as_designed(wh):
    rows = wh.execute(SUMMARY.format("")).fetchall()
    assert [r[:6] + (pytest.approx(r[6]), r[7]) for r in rows] == expected(backtest_rows())
    chosen = {(r[0], r[1]): r[2] for r in rows if r[7]}
    assert chosen[("UCtie", "views")] == "auto_ets"  # tied: the first name
    assert chosen[("UCequal", "revenue_cents")] == "seasonal_naive"  # only equal: no gain
    assert ("UCequal", "views") not in chosen
    assert chosen[("UCwins", "views")] == "auto_theta"  # the older back-test is not in force


def test_a_read_for_some_channels_reads_their_rows_only(wh):
    everything = wh.execute(SUMMARY.format("")).fetchall()
    for channel_id in ERRORS:
        mine = wh.execute(SUMMARY.format("where channel_id = %s"), (channel_id,)).fetchall()
        assert mine == [r for r in everything if r[0] == channel_id]
    own_rows = sum(r["channel_id"] == "UCtie" for r in backtest_rows())
    (plan,) = wh.execute(
        "explain (analyze, format json) select * from analytics.forecast_backtest_summary "
        "where channel_id = 'UCtie'").fetchone()
    plan = plan if isinstance(plan, list) else json.loads(plan)
    scans = list(table_scans(plan[0]["Plan"], "forecast_backtest"))
    assert scans and all(rows <= own_rows for rows in scans)


def table_scans(node: dict, table: str):
    """Rows each scan of `table` in the plan returned (over all its loops)."""
    if node.get("Relation Name") == table:
        yield node["Actual Rows"] * node["Actual Loops"]
    for child in node.get("Plans", []):
        yield from table_scans(child, table)

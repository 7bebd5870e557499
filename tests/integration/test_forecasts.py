"""Forecasts and their back-test on given final days (yt_channel_daily rows the test
builds): the rows DESIGN defines, the model choice, and awkward data (a channel too young,
zero revenue, a gap, a viral spike at the end, DST weeks, data after `trained_through`,
a re-run). Expected figures come from the test's own series and a plain Python scoring
of the stored back-test, never from the code under test."""

from __future__ import annotations

import logging
import math
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest

from ytempire.forecasts import run

from rows import channels, facts, insert, videos

WEEKLY = (1.10, 1.12, 1.10, 1.06, 0.98, 0.80, 0.84)
LAST = date(2026, 11, 20)


def series(days: int, level: float = 5000, seed: int = 1, last: date = LAST) -> dict:
    """Day -> views: a weekly rhythm, a slow trend and noise of about 8 %."""
    rng = np.random.default_rng(seed)
    first = last - timedelta(days=days - 1)
    out = {}
    for i in range(days):
        day = first + timedelta(days=i)
        mean = level * WEEKLY[day.weekday()] * (1 + 0.002 * i)
        out[day] = int(mean * rng.gamma(150, 1 / 150))
    return out


def land(conn, channel_id: str, views: dict, rpm: float | None = 4.0) -> None:
    """The channel's dimensions=day rows: views, and revenue in dollars (None: unmonetised)."""
    insert(conn, "yt_channel_daily", [
        {"channel_id": channel_id, "day": day, "views": v,
         "estimated_revenue": None if rpm is None else Decimal(v * rpm / 1000).quantize(
             Decimal("0.001"))}
        for day, v in views.items()])


def forecast(conn, ids, through=LAST, run_id="run_1", **kw):
    return {o.channel_id: o for o in run.forecast_channels(conn, ids, through, run_id, **kw)}


def forecast_rows(conn, channel_id=None) -> list[tuple]:
    return conn.execute(
        "select channel_id, metric, trained_through, target_date, horizon_days, point, "
        "lo_80, hi_80, lo_95, hi_95, model, run_id, created_at from analytics.forecast_daily "
        "where %(c)s::text is null or channel_id = %(c)s "
        "order by channel_id, metric, trained_through, target_date", {"c": channel_id}).fetchall()


def backtest(conn, channel_id, metric) -> list[tuple]:
    return conn.execute(
        "select model, origin_date, target_date, horizon_days, actual, point, lo_80, hi_80, "
        "lo_95, hi_95 from analytics.forecast_backtest "
        "where channel_id = %s and metric = %s order by model, origin_date, target_date",
        (channel_id, metric)).fetchall()


def expected_choice(rows) -> str:
    """The candidate with the lowest MAE at horizons 1-7 if below seasonal naive's."""
    errors: dict[str, list] = {}
    for model, _, _, horizon, actual, point, *_ in rows:
        if horizon <= 7:
            errors.setdefault(model, []).append(abs(actual - point))
    mae = {model: sum(e) / len(e) for model, e in errors.items()}
    best = min((m for m in mae if m != "seasonal_naive"), key=lambda m: (mae[m], m))
    return best if mae[best] < mae["seasonal_naive"] else "seasonal_naive"


@pytest.fixture
def wh(warehouse):
    channels(warehouse, ("UCgrown", "Grown", "active"), ("UCyoung", "Young", "active"),
             ("UCfree", "Unmonetised", "active"))
    return warehouse


def test_forecast_and_backtest_rows_follow_the_contract(wh):
    views = series(140)
    land(wh, "UCgrown", views)
    outcome = forecast(wh, ["UCgrown"])["UCgrown"]
    assert outcome.status == "forecast" and outcome.trained_through == LAST and outcome.backtested

    rows = forecast_rows(wh)
    assert len(rows) == 2 * 30
    for metric in ("views", "revenue_cents"):
        mine = [r for r in rows if r[1] == metric]
        assert [r[3] for r in mine] == [LAST + timedelta(days=h) for h in range(1, 31)]
        assert [r[4] for r in mine] == list(range(1, 31))
        assert all(0 <= r[8] <= r[6] <= r[5] <= r[7] <= r[9] for r in mine)
        assert all(r[2] == LAST for r in mine)

        stored = backtest(wh, "UCgrown", metric)
        origins = sorted({r[1] for r in stored})
        assert origins == [LAST - timedelta(days=7 * k) for k in range(8, 0, -1)]
        assert {r[0] for r in stored} == {"auto_ets", "auto_theta", "seasonal_naive"}
        assert len(stored) == 3 * 8 * 7
        scale = 1 if metric == "views" else 4.0 / 10  # cents of views x $4 RPM
        for model, origin, target, horizon, actual, point, *_ in stored:
            assert horizon == (target - origin).days and 1 <= horizon <= 7
            assert float(actual) == pytest.approx(round(views[target] * scale), abs=0.5)
            if model == "seasonal_naive":  # the value 7 days before the target
                assert float(point) == pytest.approx(
                    round(views[target - timedelta(days=7)] * scale), abs=0.5)
        assert {r[10] for r in mine} == {expected_choice(stored)}


def test_the_chosen_model_beats_seasonal_naive_on_a_weekly_series(wh):
    """A clear weekly rhythm with little noise: a candidate wins its own back-test."""
    land(wh, "UCgrown", series(140))
    forecast(wh, ["UCgrown"])
    summary = wh.execute(
        "select metric, model, mae, mae_vs_seasonal_naive from "
        "analytics.forecast_backtest_summary where chosen order by metric").fetchall()
    assert [r[0] for r in summary] == ["revenue_cents", "views"]
    for _, model, _, relative in summary:
        assert model != "seasonal_naive" and relative < 1


def test_the_95_band_is_at_least_the_chosen_models_conformal_half_width(wh):
    """Viral days held out in the back-test: the 95 % band of every forecast day reaches
    at least the k-th smallest held-out error of the chosen model at horizons 1-7,
    k = ceil(0.95 (n + 1)), either side of the point (clipped at zero)."""
    views = series(140, seed=12)
    for days_before in (5, 16, 30):
        views[LAST - timedelta(days=days_before)] *= 4
    land(wh, "UCgrown", views)
    forecast(wh, ["UCgrown"])
    widened = 0
    for metric in ("views", "revenue_cents"):
        stored = backtest(wh, "UCgrown", metric)
        chosen = expected_choice(stored)
        errors = sorted(abs(float(actual) - float(point))
                        for model, _, _, horizon, actual, point, *_ in stored
                        if model == chosen and horizon <= 7)
        q = errors[math.ceil(0.95 * (len(errors) + 1)) - 1]
        kept = wh.execute("select conformal_95 from analytics.forecast_backtest_summary "
                          "where chosen and metric = %s", (metric,)).fetchone()[0]
        assert float(kept) == pytest.approx(q)
        for r in forecast_rows(wh, "UCgrown"):
            if r[1] == metric:
                point, lo_95, hi_95 = float(r[5]), float(r[8]), float(r[9])
                assert lo_95 <= max(point - q, 0) + 0.01 and hi_95 >= point + q - 0.01
                widened += abs(hi_95 - (point + q)) <= 0.01
    assert widened > 0  # the band of some days is the conformal one, not the model's


def test_a_channel_too_young_gets_no_rows_and_a_logged_reason(wh, caplog):
    land(wh, "UCgrown", series(140))
    land(wh, "UCyoung", series(20, seed=2))
    with caplog.at_level(logging.INFO, logger="ytempire.forecasts.run"):
        out = forecast(wh, ["UCgrown", "UCyoung", "UCfree"])
    assert out["UCyoung"].status == "skipped"
    assert out["UCyoung"].reason == "20 final day(s), a forecast needs 28"
    assert out["UCfree"].reason == "YouTube has reported no day of it yet"
    assert "channel UCyoung not forecast: 20 final day(s), a forecast needs 28" in caplog.text
    assert {r[0] for r in forecast_rows(wh)} == {"UCgrown"}


def test_a_short_history_is_forecast_by_seasonal_naive_without_a_backtest(wh):
    """Between 28 days and what a back-test of 8 weekly origins needs (28 + 56)."""
    land(wh, "UCyoung", series(50, seed=3))
    out = forecast(wh, ["UCyoung"])["UCyoung"]
    assert out.models == {"views": "seasonal_naive", "revenue_cents": "seasonal_naive"}
    assert not out.backtested
    assert wh.execute("select count(*) from analytics.forecast_backtest").fetchone()[0] == 0
    rows = forecast_rows(wh, "UCyoung")
    views = series(50, seed=3)
    for r in rows:
        if r[1] == "views":  # the same weekday of the last week, repeated
            back = r[3] - timedelta(days=7 * ((r[4] - 1) // 7 + 1))
            assert float(r[5]) == views[back]


def test_zero_revenue_of_an_unmonetised_channel_is_forecast_as_zero(wh):
    land(wh, "UCfree", series(100, seed=4), rpm=None)
    out = forecast(wh, ["UCfree"])["UCfree"]
    assert out.status == "forecast"
    revenue = [r for r in forecast_rows(wh, "UCfree") if r[1] == "revenue_cents"]
    assert len(revenue) == 30
    assert all(r[5:10] == (0, 0, 0, 0, 0) for r in revenue)
    assert {r[10] for r in revenue} == {"seasonal_naive"}  # no candidate beats 0 errors


def test_a_gap_in_the_history_is_filled_for_the_models_and_never_scored(wh):
    views = series(120, seed=5)
    gap = {LAST - timedelta(days=d) for d in range(10, 14)}  # inside the back-test
    land(wh, "UCgrown", {d: v for d, v in views.items() if d not in gap})
    out = forecast(wh, ["UCgrown"])["UCgrown"]
    assert out.status == "forecast" and out.gap_days == 4
    targets = {r[2] for r in backtest(wh, "UCgrown", "views")}
    assert not targets & gap
    assert len(targets) == 8 * 7 - 4
    assert len(forecast_rows(wh, "UCgrown")) == 60


def test_a_viral_spike_at_the_end_of_training_stays_bounded_and_is_flagged(wh):
    views = series(120, seed=6)
    for d in (LAST - timedelta(days=1), LAST):
        views[d] *= 10
    land(wh, "UCgrown", views)
    forecast(wh, ["UCgrown"])
    rows = [r for r in forecast_rows(wh, "UCgrown") if r[1] == "views"]
    assert all(0 <= r[8] <= r[6] <= r[5] <= r[7] <= r[9] for r in rows)
    usual = np.mean([v for d, v in views.items() if d < LAST - timedelta(days=1)][-28:])
    assert np.mean([float(r[5]) for r in rows if r[4] > 7]) < 3 * usual
    flagged = wh.execute(
        "select check_key, status from analytics.check_forecast_accuracy() "
        "where status <> 'OK' order by 1").fetchall()
    assert ("UCgrown views", "DEGRADED") in flagged


@pytest.mark.parametrize("last", [date(2026, 3, 8), date(2026, 11, 1)])
def test_dst_weeks_give_thirty_consecutive_days(wh, last):
    """Pacific DST starts on 2026-03-08 and ends on 2026-11-01: days stay days."""
    land(wh, "UCgrown", series(100, seed=7, last=last + timedelta(days=3)))
    forecast(wh, ["UCgrown"], through=last)
    rows = [r for r in forecast_rows(wh, "UCgrown") if r[1] == "views"]
    assert [r[3] for r in rows] == [last + timedelta(days=h) for h in range(1, 31)]
    assert {r[2] for r in rows} == {last}


def test_no_data_after_trained_through_is_used(wh):
    """The clock moved on: ten more final days and provisional hourly counters after
    `through` are in the warehouse; the forecast equals one made without them."""
    views = series(130, seed=8, last=LAST + timedelta(days=10))
    land(wh, "UCgrown", views)
    videos(wh, ("vid1", "UCgrown", "A video"))
    facts(wh, ("vid1", "UCgrown", "2026-11-21T12:00", 10**7, 0, 0, 0, 10**6, 0))
    forecast(wh, ["UCgrown"], through=LAST, run_id="moved_clock")
    with_later = forecast_rows(wh)
    assert {r[2] for r in with_later} == {LAST}
    wh.execute("delete from analytics.yt_channel_daily where day > %s", (LAST,))
    wh.execute("delete from analytics.fact_video_performance")
    wh.execute("delete from analytics.forecast_daily")
    wh.execute("delete from analytics.forecast_backtest")
    forecast(wh, ["UCgrown"], through=LAST, run_id="moved_clock")
    assert [r[:-1] for r in forecast_rows(wh)] == [r[:-1] for r in with_later]


def test_a_rerun_writes_identical_rows(wh):
    land(wh, "UCgrown", series(120, seed=9))
    land(wh, "UCfree", series(90, seed=10), rpm=None)
    forecast(wh, ["UCgrown", "UCfree"], run_id="first")
    first = forecast_rows(wh), wh.execute(
        "select * from analytics.forecast_backtest order by 1, 2, 3, 4, 5").fetchall()
    forecast(wh, ["UCgrown", "UCfree"], run_id="second", force_backtest=True)
    again = forecast_rows(wh), wh.execute(
        "select * from analytics.forecast_backtest order by 1, 2, 3, 4, 5").fetchall()
    assert again == first
    assert {r[11] for r in again[0]} == {"first"}


@pytest.mark.parametrize(("name", "minutes", "level"), [
    ("analytics_forecasts.forecast_channel_batch", 20, None),  # no row: within budget
    ("analytics_forecasts.forecast_channel_batch", 35, "WARNING"),
    ("analytics_forecasts.forecast_channel_batch", 61, "CRITICAL"),
    ("analytics_refresh_daily.refresh_daily_revenue_summary", 20, "CRITICAL"),
])
def test_a_weekly_backtest_step_has_its_own_budget(warehouse, name, minutes, level):
    warehouse.execute(
        "insert into analytics.query_performance_log (query_name, execution_time_ms, "
        "success, kind, timestamp) values (%s, %s, true, 'step', now() - interval '5 minutes')",
        (name, minutes * 60_000))
    found = warehouse.execute("select alert_level from analytics.check_slow_queries(now()) "
                              "where query_name = %s", (name,)).fetchall()
    assert found == ([(level,)] if level else [])


def test_seasonal_naive_repeats_the_reported_values_even_a_viral_day(wh):
    """The baseline is the reported series: only the candidates train on damped days."""
    views = series(120, seed=11)
    viral = LAST - timedelta(days=20)
    views[viral] *= 10
    land(wh, "UCgrown", views)
    forecast(wh, ["UCgrown"])
    rows = {(r[0], r[2]): r for r in backtest(wh, "UCgrown", "views")}
    assert float(rows[("seasonal_naive", viral + timedelta(days=7))][5]) == views[viral]
    assert float(rows[("auto_ets", viral)][4]) == views[viral]  # scored against the report

"""The switchback statistics against independent oracles: exhaustive enumeration, Monte
Carlo of the test itself, the Pacific calendar."""

from __future__ import annotations

import itertools
import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from ytempire.experiments import design, stats
from ytempire_dev import experiment_calibration

ALPHA = 0.05


def oracle_p(diffs) -> float:
    observed = abs(sum(diffs) / len(diffs))
    means = [abs(sum(s * d for s, d in zip(signs, diffs, strict=True)) / len(diffs))
             for signs in itertools.product((1, -1), repeat=len(diffs))]
    return sum(m >= observed - 1e-12 for m in means) / len(means)


def test_assignment_randomises_the_order_within_every_pair():
    orders = {tuple(stats.assignment(8, seed)) for seed in range(50)}
    assert len(orders) > 40  # not a fixed alternation
    for order in orders:
        assert all(sorted(order[i:i + 2]) == [0, 1] for i in range(0, 16, 2))
    assert stats.assignment(8, 3) == stats.assignment(8, 3)


@pytest.mark.parametrize("diffs", [
    [0.1, -0.05, 0.2, 0.07, 0.0, 0.12],
    [0.3],
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],  # all ties
    [1e-9, -1e-9, 0.5, 0.5, -0.5, 0.5, 0.25, 0.1],
])
def test_p_value_is_the_exhaustive_sign_flip_p(diffs):
    assert stats.randomisation_test(diffs, ALPHA).p_value == pytest.approx(oracle_p(diffs))


def test_interval_is_the_set_of_effects_the_test_does_not_reject():
    diffs = [0.12, 0.05, 0.2, -0.03, 0.09, 0.15, 0.11, 0.02]
    result = stats.randomisation_test(diffs, ALPHA)
    assert result.effect == pytest.approx(math.expm1(np.mean(diffs)))
    for bound, inward in ((result.ci_low, 1), (result.ci_high, -1)):
        tau = math.log1p(bound)
        assert oracle_p([d - (tau + inward * 1e-6) for d in diffs]) > ALPHA
        assert oracle_p([d - (tau - inward * 1e-3) for d in diffs]) <= ALPHA


def test_six_pairs_is_the_least_that_can_reach_alpha_005():
    assert stats.min_pairs(0.05) == 6
    assert oracle_p([1.0] * 5) > 0.05 and oracle_p([1.0] * 6) < 0.05
    assert stats.power(5, 0.01, 0.5, 0.05) == 0.0
    too_few = stats.randomisation_test([0.3, 0.2], ALPHA)  # no effect can be rejected
    assert (too_few.ci_low, too_few.ci_high) == (-1.0, math.inf)


def test_power_matches_a_simulation_of_the_test_itself():
    rng = np.random.default_rng(1)
    pairs, sd, mde = 10, 0.1, 0.08
    rejections = [stats.p_value(rng.normal(math.log1p(mde), sd, pairs), i) < ALPHA
                  for i in range(1500)]
    assert np.mean(rejections) == pytest.approx(stats.power(pairs, sd, mde, ALPHA), abs=0.04)
    needed = stats.pairs_needed(sd, mde, ALPHA, 0.8)
    assert stats.power(needed, sd, mde, ALPHA) >= 0.8 > stats.power(needed - 1, sd, mde, ALPHA)


def test_always_valid_interval_holds_over_every_look():
    rng = np.random.default_rng(2)
    ever = 0
    for _ in range(400):
        d = rng.normal(0, 0.1, 12)
        ever += any(stats.always_valid(d[:n], 0.1, 12, ALPHA).p_value < ALPHA
                    for n in range(1, 13))
    assert ever / 400 <= ALPHA
    with pytest.raises(ValueError):
        stats.always_valid([], 0.1, 12, ALPHA)


def plan(**changes) -> design.Plan:
    base = {"metric": "ctr", "block_hours": 24, "blocks": 12, "warmup_hours": 0,
            "min_detectable_effect": 0.1, "alpha": 0.05, "power": 0.8}
    return design.Plan(**(base | changes))


@pytest.mark.parametrize(("changes", "words"), [
    ({"block_hours": 6}, "whole multiples of 24"),
    ({"warmup_hours": 12, "block_hours": 48}, "whole multiples of 24"),
    ({"warmup_hours": 24}, "shorter than a block"),
    ({"blocks": 11}, "even number of at least 12"),
    ({"blocks": 10}, "even number of at least 12"),
    ({"min_detectable_effect": 0}, "positive relative lift"),
    ({"metric": "watch_time"}, "is not one of"),
])
def test_designs_that_cannot_work_are_refused_with_the_reason(changes, words):
    assert any(words in e for e in design.plan_errors(plan(**changes)))


def test_a_sound_design_has_no_errors():
    assert design.plan_errors(plan()) == []
    assert design.plan_errors(plan(metric="views_per_hour", block_hours=6, warmup_hours=1)) == []


def test_daily_blocks_follow_the_pacific_calendar_across_dst():
    # 2026-11-01: clocks go back in the US; that Pacific day has 25 hours
    p = plan(blocks=4)
    start = design.first_start(p, datetime(2026, 10, 31, 12, tzinfo=UTC))
    assert start == datetime(2026, 11, 1, 7, tzinfo=UTC)  # midnight PDT
    blocks = design.schedule(p, start, [0, 1, 1, 0])
    assert [(b.ends_at - b.starts_at) / timedelta(hours=1) for b in blocks] == [25, 24, 24, 24]
    assert blocks[1].starts_at == datetime(2026, 11, 2, 8, tzinfo=UTC)  # midnight PST
    hourly = plan(metric="views_per_hour", block_hours=3, warmup_hours=1)
    first = design.first_start(hourly, datetime(2026, 11, 1, 9, 30, tzinfo=UTC))
    assert first == datetime(2026, 11, 1, 10, tzinfo=UTC)
    b = design.schedule(hourly, first, [1, 0])[1]
    assert (b.starts_at, b.analysed_from) == (first + timedelta(hours=3), first + timedelta(hours=4))


def test_under_powered_design_names_the_days_it_would_need():
    rng = np.random.default_rng(4)
    impressions = np.full(28, 2_000.0)
    clicks = rng.binomial(2_000, 0.05, 28).astype(float)
    found = design.assess(plan(min_detectable_effect=0.08), clicks, impressions)
    reason = found.refusal(plan(min_detectable_effect=0.08))
    assert reason.startswith("under-powered") and "it would need" in reason
    days = 2 * found.pairs_needed
    assert f"{days} days ({days} blocks of 24 h)" in reason
    assert days == 2 * stats.pairs_needed(found.pair_sd, 0.08, ALPHA, 0.8)
    tiny = design.assess(plan(min_detectable_effect=0.01), clicks, impressions)
    assert "more than 120 days" in tiny.refusal(plan(min_detectable_effect=0.01))
    strong = design.assess(plan(min_detectable_effect=1.0), clicks, impressions)
    assert strong.refusal(plan(min_detectable_effect=1.0)) is None


def test_pre_period_spread_of_pure_counting_noise():
    """~100 clicks a day and nothing else: var(log CTR) = 0.95 / 100 a day, a pair
    difference twice that; the estimate is right on average (a little conservative,
    as its excess is never negative)."""
    p = plan(min_detectable_effect=0.08)
    impressions = np.full(28, 2_000.0)
    sds = [design.pre_period_pair_sd(p, np.random.default_rng(s).binomial(2_000, 0.05, 28)
                                     .astype(float), impressions) for s in range(300)]
    assert np.mean(sds) == pytest.approx(math.sqrt(2 * 0.95 / 100), rel=0.10)


def test_calibration_fast_version():
    """A few hundred simulated experiments (the full run is the calibration command)."""
    cases = experiment_calibration.calibrate([3], 250, progress=lambda _: None)
    s = experiment_calibration.summary(cases)
    assert s["experiments"] == 250
    assert s["false_positive_rate"] <= 0.10
    assert abs(s["power_gap_points"]) <= 12

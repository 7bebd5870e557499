"""The statistics of a switchback experiment: assignment, power, the randomisation test.

Blocks come in pairs; within each pair the order of the two variants is drawn at random
(never a fixed A-B-A-B, which would tie a variant to a weekday). A pair's outcome is
`d = y(variant 1) - y(variant 0)`, `y` the log of the block's rate (CTR, or views per
hour) over the block's analysed hours. Under the sharp null of no effect every pair's
order was equally likely the other way round, so flipping the signs of the d's draws
from the design's own assignment distribution: the p-value of the mean is exact
(enumerated up to EXACT_PAIRS pairs, sampled beyond), and the confidence interval is
the set of log effects the same test does not reject (test inversion).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

EXACT_PAIRS = 16  # 2**16 sign patterns: enumerated; more pairs: RESAMPLES random ones
RESAMPLES = 20_000


def assignment(pairs: int, seed: int) -> list[int]:
    """The variant (0 or 1) of each block: each pair in an order drawn from `seed`."""
    flips = np.random.default_rng(seed).integers(0, 2, pairs)
    return [v for flip in flips for v in ((1, 0) if flip else (0, 1))]


def min_pairs(alpha: float) -> int:
    """The fewest pairs whose smallest two-sided p-value (2 / 2**pairs) is below alpha."""
    return math.floor(math.log2(2 / alpha)) + 1


def power(pairs: int, pair_sd: float, mde: float, alpha: float) -> float:
    """Power of the two-sided test of the mean pair difference for a relative effect `mde`,
    when each pair difference has standard deviation `pair_sd` (paired t approximation of
    the randomisation test; 0 where the test cannot reach alpha at all)."""
    if pairs < min_pairs(alpha) or pair_sd <= 0:
        return 0.0
    shift = math.log1p(mde) * math.sqrt(pairs) / pair_sd
    crit = stats.t.ppf(1 - alpha / 2, pairs - 1)
    found = float(stats.nct.sf(crit, pairs - 1, shift) + stats.nct.cdf(-crit, pairs - 1, shift))
    if math.isnan(found):  # scipy's non-central t gives up far in the tail: power ~ 1
        found = float(stats.norm.sf(crit - shift) + stats.norm.cdf(-crit - shift))
    return found


def pairs_needed(pair_sd: float, mde: float, alpha: float, target: float,
                 most: int = 500) -> int | None:
    """The fewest pairs with power >= target (None beyond `most`); power grows with the
    pairs, so by bisection."""
    low, high = min_pairs(alpha), most
    if power(high, pair_sd, mde, alpha) < target:
        return None
    while low < high:
        middle = (low + high) // 2
        low, high = (middle + 1, high) if power(middle, pair_sd, mde, alpha) < target else (
            low, middle)
    return low


def _signs(pairs: int, rng: np.random.Generator) -> np.ndarray:
    if pairs <= EXACT_PAIRS:
        codes = np.arange(2 ** pairs)[:, None] >> np.arange(pairs) & 1
        return 1 - 2 * codes
    return rng.choice((-1, 1), size=(RESAMPLES, pairs))


def sign_flip_p(diffs: np.ndarray, signs: np.ndarray) -> float:
    """Two-sided p-value of the mean of `diffs` over the sign patterns `signs`."""
    observed = abs(diffs.mean())
    null = np.abs(signs @ diffs) / len(diffs)
    return float(np.mean(null >= observed - 1e-12))


def p_value(diffs: ArrayLike, seed: int = 0) -> float:
    """The randomisation test's two-sided p-value alone (no interval)."""
    d = np.asarray(diffs, dtype=float)
    return sign_flip_p(d, _signs(len(d), np.random.default_rng(seed)))


@dataclass(frozen=True)
class TestResult:
    pairs: int
    effect: float  # relative: exp(mean d) - 1
    ci_low: float
    ci_high: float
    p_value: float


def randomisation_test(diffs: ArrayLike, alpha: float, seed: int = 0) -> TestResult:
    """Effect, (1 - alpha) interval by test inversion, and p-value of the pair differences."""
    d = np.asarray(diffs, dtype=float)
    if len(d) < 1:
        raise ValueError("no complete pair to analyse")
    signs = _signs(len(d), np.random.default_rng(seed))
    p = sign_flip_p(d, signs)
    centre = d.mean()
    spread = max(d.std(ddof=1) if len(d) > 1 else 0.0, abs(centre), 1e-6) * 10

    def accepted(tau: float) -> bool:
        return sign_flip_p(d - tau, signs) > alpha

    low, high = _edge(accepted, centre, centre - spread), _edge(accepted, centre, centre + spread)
    return TestResult(len(d), math.expm1(centre), math.expm1(low), math.expm1(high), p)


def _edge(accepted: Callable[[float], bool], inside: float, outside: float, steps: int = 50) -> float:
    """The boundary between an accepted `inside` and a rejected `outside` (bisection);
    infinite when no effect is rejected (too few pairs to reach alpha)."""
    for _ in range(64):
        if not accepted(outside):
            break
        outside = inside + 2 * (outside - inside)
    else:
        return math.copysign(math.inf, outside - inside)
    for _ in range(steps):
        middle = (inside + outside) / 2
        inside, outside = (middle, outside) if accepted(middle) else (inside, middle)
    return inside


@dataclass(frozen=True)
class Interim:
    pairs: int
    effect: float
    ci_low: float
    ci_high: float
    p_value: float  # always valid: may be read after every pair


def always_valid(diffs: ArrayLike, pair_sd: float, planned_pairs: int, alpha: float) -> Interim:
    """A confidence sequence for the mean log effect that holds at every look (Robbins'
    normal mixture, mixing variance set for the planned number of pairs), with the
    per-pair standard deviation the larger of the planned and the observed one."""
    d = np.asarray(diffs, dtype=float)
    n = len(d)
    if n == 0:
        raise ValueError("no complete pair yet")
    sd = max(pair_sd, d.std(ddof=1) if n > 1 else 0.0)
    rho = sd ** 2 * planned_pairs
    sums, variance = np.cumsum(d), sd ** 2 * np.arange(1, n + 1)
    log_lr = 0.5 * np.log(rho / (variance + rho)) + sums ** 2 / (2 * (variance + rho))
    p = float(min(1.0, math.exp(-log_lr.max())))
    v = variance[-1]
    radius = math.sqrt((v + rho) * math.log((v + rho) / (rho * alpha ** 2))) / n
    centre = d.mean()
    return Interim(n, math.expm1(centre), math.expm1(centre - radius),
                   math.expm1(centre + radius), p)

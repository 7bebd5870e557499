"""What an experiment's design must satisfy, and its power from the video's recent data.

A block's outcome is the log of its rate over its analysed units (the block after its
warm-up): clicks per impression per Pacific day for `ctr`, views per hour for
`views_per_hour`. Its sampling variance has a counting part, (1 - share) / count (count =
clicks or views, share = the CTR or 0), and an excess the video's day-to-day (or
hour-to-hour) movements add. The design step measures both on the pre-period: it cuts the
recent history into pseudo-blocks of the design's length, pairs neighbours as the
experiment would, and takes the mean squared pseudo-pair difference beyond its counting
part as the excess; the counting part is then projected to the experiment's period from
the recent level and trend of the counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import numpy as np

from ytempire.experiments import stats
from ytempire.settings import YOUTUBE_ZONE

UNIT_HOURS = {"ctr": 24, "views_per_hour": 1}  # CTR is only reported per Pacific day
KINDS = ("title", "thumbnail")
MAX_DAYS = 120
MIN_PRE_UNITS = {"ctr": 14, "views_per_hour": 7 * 24}


@dataclass(frozen=True)
class Plan:
    metric: str
    block_hours: int
    blocks: int
    warmup_hours: int
    min_detectable_effect: float
    alpha: float
    power: float

    @property
    def unit_hours(self) -> int:
        return UNIT_HOURS[self.metric]

    @property
    def pairs(self) -> int:
        return self.blocks // 2

    @property
    def analysed_units(self) -> int:
        return (self.block_hours - self.warmup_hours) // self.unit_hours

    def days_for(self, pairs: int) -> float:
        return pairs * 2 * self.block_hours / 24


def plan_errors(plan: Plan) -> list[str]:
    """Why the design itself cannot work, whatever the video's data (empty when it can)."""
    if plan.metric not in UNIT_HOURS:
        return [f"metric {plan.metric!r} is not one of {sorted(UNIT_HOURS)}"]
    errors = []
    unit = plan.unit_hours
    if plan.block_hours < unit or plan.block_hours % unit or plan.warmup_hours % unit:
        errors.append(
            f"{plan.metric} is measured per {unit} hour(s): block_hours ({plan.block_hours}) "
            f"and warmup_hours ({plan.warmup_hours}) must be whole multiples of {unit}"
            + (" (YouTube reports CTR per Pacific day)" if plan.metric == "ctr" else ""))
    if not 0 <= plan.warmup_hours < plan.block_hours:
        errors.append(f"warmup_hours ({plan.warmup_hours}) must be at least 0 and shorter "
                      f"than a block ({plan.block_hours} h)")
    if not 0 < plan.alpha < 0.5 or not 0.5 <= plan.power < 1:
        errors.append(f"alpha ({plan.alpha}) must be in (0, 0.5) and power ({plan.power}) "
                      "in [0.5, 1)")
    if plan.min_detectable_effect <= 0:
        errors.append("min_detectable_effect must be a positive relative lift (0.10 = +10 %)")
    least = stats.min_pairs(plan.alpha) if 0 < plan.alpha < 0.5 else 2
    if plan.blocks % 2 or plan.blocks < 2 * least:
        errors.append(
            f"blocks ({plan.blocks}) must be an even number of at least {2 * least}: blocks "
            f"come in randomised pairs, and fewer than {least} pairs can never reach "
            f"alpha {plan.alpha}")
    return errors


def block_outcome(num: float, den: float, share_is_rate: bool) -> tuple[float, float] | None:
    """(log rate, counting variance) of one block's analysed units; None without data."""
    if num <= 0 or den <= 0:
        return None
    rate = num / den
    share = min(rate, 0.99) if share_is_rate else 0.0
    return math.log(rate), (1 - share) / num


@dataclass(frozen=True)
class Assessment:
    pair_sd: float
    power: float
    pairs_needed: int | None  # for the target power; None beyond MAX_DAYS

    def refusal(self, plan: Plan) -> str | None:
        """Why the design is under-powered, with the days it would need; None if it is not."""
        if self.power >= plan.power:
            return None
        need = (f"{plan.days_for(self.pairs_needed):g} days ({2 * self.pairs_needed} blocks of "
                f"{plan.block_hours} h)" if self.pairs_needed else f"more than {MAX_DAYS} days")
        return (f"under-powered: {self.power:.0%} power for a {plan.min_detectable_effect:+.0%} "
                f"effect in {plan.days_for(plan.pairs):g} days (target {plan.power:.0%}); "
                f"it would need {need}")


def assess(plan: Plan, num: np.ndarray, den: np.ndarray) -> Assessment:
    """Power of `plan` from the pre-period (`num`, `den` per unit, oldest first: clicks and
    impressions per day for ctr, views and 1 per hour for views_per_hour)."""
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    pair_sd = pre_period_pair_sd(plan, num, den)
    most = max(stats.min_pairs(plan.alpha), int(MAX_DAYS * 24 / (2 * plan.block_hours)))
    return Assessment(pair_sd, stats.power(plan.pairs, pair_sd, plan.min_detectable_effect,
                                           plan.alpha),
                      stats.pairs_needed(pair_sd, plan.min_detectable_effect, plan.alpha,
                                         plan.power, most))


def pre_period_pair_sd(plan: Plan, num: np.ndarray, den: np.ndarray) -> float:
    """Standard deviation of one pair difference during the experiment (module docstring)."""
    per_block = plan.block_hours // plan.unit_hours
    skip = plan.warmup_hours // plan.unit_hours
    share_is_rate = plan.metric == "ctr"
    outcomes = []
    for end in range(len(num), per_block - 1, -per_block):  # newest pseudo-blocks first
        window = slice(end - per_block + skip, end)
        outcomes.append(block_outcome(num[window].sum(), den[window].sum(), share_is_rate))
    outcomes.reverse()
    excess = [(b[0] - a[0]) ** 2 - a[1] - b[1]
              for a, b in zip(outcomes[::2], outcomes[1::2], strict=False) if a and b]
    if not excess:
        raise ValueError("the pre-period has no two consecutive blocks with data")
    projected = projected_count(num, plan.pairs * 2 * per_block) * (per_block - skip)
    rate = num.sum() / den.sum()
    counting = (1 - (min(rate, 0.99) if share_is_rate else 0.0)) / max(projected, 1.0)
    return math.sqrt(2 * counting + max(float(np.mean(excess)), 0.0))


def projected_count(num: np.ndarray, units_ahead: int) -> float:
    """The count per unit expected over the next `units_ahead` units: the recent level,
    carried along the pre-period's log-linear trend when it declines (launch decay)."""
    recent = num[-min(len(num), 7 * max(1, len(num) // 28)):]
    level = float(recent.mean())
    t = np.arange(len(num))
    slope = np.polyfit(t, np.log(num + 1.0), 1)[0] if len(num) > 2 else 0.0
    if slope >= 0:
        return level
    # mean of exp(slope * k) over the experiment, from the middle of the recent window
    shift = len(recent) / 2
    ks = np.arange(units_ahead) + shift
    return level * float(np.mean(np.exp(slope * ks)))


@dataclass(frozen=True)
class Block:
    index: int
    variant: int
    starts_at: datetime
    ends_at: datetime
    analysed_from: datetime

    @property
    def pair(self) -> int:
        return self.index // 2


def first_start(plan: Plan, not_before: datetime) -> datetime:
    """The first block boundary at or after `not_before`: a Pacific midnight for daily
    metrics, a whole hour otherwise."""
    if plan.unit_hours == 24:
        local = not_before.astimezone(YOUTUBE_ZONE)
        day = local.date() + timedelta(days=0 if local.time() == time() else 1)
        return datetime.combine(day, time(), YOUTUBE_ZONE).astimezone(UTC)
    hour = not_before.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    return hour if hour == not_before else hour + timedelta(hours=1)


def schedule(plan: Plan, start: datetime, variants: list[int]) -> list[Block]:
    """Consecutive blocks from `start`; daily blocks follow the Pacific calendar (a block
    of k days is k calendar days, 23 or 25 hours at a DST change)."""

    def at(hours: int) -> datetime:
        if plan.unit_hours == 24:
            day = start.astimezone(YOUTUBE_ZONE).date() + timedelta(days=hours // 24)
            return datetime.combine(day, time(), YOUTUBE_ZONE).astimezone(UTC)
        return start + timedelta(hours=hours)

    return [Block(i, v, at(i * plan.block_hours), at((i + 1) * plan.block_hours),
                  at(i * plan.block_hours + plan.warmup_hours)) for i, v in enumerate(variants)]

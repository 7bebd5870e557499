"""How every simulated video's audience behaves, in both worlds (the test world and the demo).

The expected views of video v in the UTC hour starting at h (its *true mean*):

    rate(v, h) = peak(v) x decay(age) x diurnal(h + shift(c)) x weekly(c, D) x trend(c, D)
                 x spike(v, D)

where c is the video's channel, D the Pacific day of h and age the hours since the hour
the video was published in (its first hour counts the part after publishing only):
- decay: LAUNCH_SHARE of the launch audience fades with the video's `launch_hours`, the rest
  is an evergreen tail fading with the channel's `tail_days`;
- diurnal: a daily cycle by UTC hour (busy in the American evening), shifted per channel;
- weekly: the channel's seven multipliers, Monday first (mean 1);
- trend: exp(growth_per_day x days since the world's start day): growing, flat, declining;
- spike: a rare viral day (`spike_day` days after publishing, `spike_size` times the views)
  that halves every SPIKE_HALF_LIFE_DAYS.

A day's expected views are the sum over its hours. The realised views of a video and day are
that mean times two gamma noises of mean 1 (one shared by the channel's videos that day, one
the video's own: overdispersed day-to-day noise) rounded stochastically, so their expectation
is exactly the true mean; likes and comments follow the views. The day's views, likes and
comments are split over its hours in proportion to the hourly rates times an hourly noise
(largest remainder), so counters at every hour boundary and daily totals agree exactly.

Impressions and click-through rate per video and day: the expected CTR is the video's `ctr`
(higher in its first days); `browse_share` of the expected views come from thumbnail
impressions, so expected impressions = browse_share x expected views / expected CTR.
Realised impressions and clicks are drawn around them.

Everything is a pure function of (seed, the world's start, video, day): each random draw
comes from a generator seeded by what it is for, so answers never depend on the order of
questions.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

PACIFIC = ZoneInfo("America/Los_Angeles")
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)

LAUNCH_SHARE = 0.85
SPIKE_HALF_LIFE_DAYS = 1.5
CTR_LAUNCH_BOOST = 0.4  # a new video is first shown to its subscribers, who click more
# gamma shape k: mean 1, coefficient of variation 1 / sqrt(k)
HOUR_NOISE_SHAPE = 6.0
LIKE_NOISE_SHAPE = 20.0
COMMENT_NOISE_SHAPE = 10.0
REVENUE_NOISE_SHAPE = 25.0
IMPRESSION_NOISE_SHAPE = 30.0
CTR_NOISE_SHAPE = 200.0
# audience by UTC hour: quiet around 08:00 UTC (night in the Americas), busy around 20:00
DIURNAL = tuple(1 + 0.5 * math.sin(2 * math.pi * (h - 20) / 24) for h in range(24))
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def utc(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        raise ValueError("naive datetime: pass an aware datetime (UTC)")
    return dt.astimezone(UTC)


@lru_cache(maxsize=4096)
def pacific_day_bounds(day: date) -> tuple[datetime, datetime]:
    """UTC [start, end) of a Pacific-time day (23 or 25 hours around DST)."""
    start = datetime(day.year, day.month, day.day, tzinfo=PACIFIC)
    nxt = day + DAY
    end = datetime(nxt.year, nxt.month, nxt.day, tzinfo=PACIFIC)
    return start.astimezone(UTC), end.astimezone(UTC)


def pacific_date(at: datetime) -> date:
    return utc(at).astimezone(PACIFIC).date()


def hour_floor(at: datetime) -> datetime:
    return at.replace(minute=0, second=0, microsecond=0)


def gamma1(rng: random.Random, shape: float) -> float:
    """A gamma variate of mean 1 (coefficient of variation 1 / sqrt(shape))."""
    return rng.gammavariate(shape, 1 / shape)


def largest_remainder(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights` (evenly when they sum to 0), exactly."""
    n = len(weights)
    mass = sum(weights)
    if mass <= 0:
        weights, mass = [1.0] * n, float(n)
    shares = [total * w / mass for w in weights]
    parts = [math.floor(s) for s in shares]
    left = total - sum(parts)
    for i in sorted(range(n), key=lambda i: (parts[i] - shares[i], i))[:left]:
        parts[i] += 1
    return parts


@dataclass(frozen=True)
class Reach:
    """Thumbnail impressions and clicks of one video and Pacific day, with their true means."""

    impressions: int
    clicks: int
    expected_impressions: float
    expected_ctr: float

    @property
    def ctr(self) -> float:
        return self.clicks / self.impressions if self.impressions else 0.0


class Dynamics:
    """The rates of a world's videos; `anchor` is the Pacific day where trends equal 1."""

    def __init__(self, seed: int, anchor: date):
        self.seed = seed
        self.anchor = anchor
        self._channel_noise: dict[tuple[str, date], float] = {}
        self._day_sums: dict[tuple[float, int, int], float] = {}

    # -- true means ---------------------------------------------------------------------

    def day_multiplier(self, video, channel, day: date) -> float:
        """weekly x trend x spike of one video on one Pacific day."""
        m = channel.weekly[day.weekday()] * math.exp(
            channel.growth_per_day * (day - self.anchor).days)
        if video.spike_day is not None:
            after = (day - pacific_date(video.published_at)).days - video.spike_day
            if after >= 0:
                m *= 1 + (video.spike_size - 1) * 0.5 ** (after / SPIKE_HALF_LIFE_DAYS)
        return m

    def _decay(self, video, channel, age_hours: int) -> float:
        return (LAUNCH_SHARE * math.exp(-age_hours / video.launch_hours)
                + (1 - LAUNCH_SHARE) * math.exp(-age_hours / (24 * channel.tail_days)))

    def hourly_rates(self, video, channel, day: date) -> list[tuple[datetime, float]]:
        """(hour start, expected views) of each hour of the Pacific day the video was out."""
        start, end = pacific_day_bounds(day)
        base = hour_floor(video.published_at)
        first = max(start, base)
        if first >= end:
            return []
        m = video.peak_rate * self.day_multiplier(video, channel, day)
        out = []
        hour = first
        while hour < end:
            age = (hour - base) // HOUR
            rate = m * self._decay(video, channel, age) * DIURNAL[
                (hour.hour + channel.diurnal_shift) % 24]
            if age == 0:
                rate *= (base + HOUR - video.published_at) / HOUR
            out.append((hour, rate))
            hour += HOUR
        return out

    def expected_day(self, video, channel, day: date) -> float:
        """Expected views of the whole Pacific day (the sum of its hourly rates), whether
        or not the video is still online that day."""
        start, end = pacific_day_bounds(day)
        base = hour_floor(video.published_at)
        if base >= start:  # publish day (or before it): hour by hour
            return sum(rate for _, rate in self.hourly_rates(video, channel, day))
        # every hour of the day is a whole hour after publishing: the decay factors out
        age0 = (start - base) // HOUR
        hours = (end - start) // HOUR
        offset = (start.hour + channel.diurnal_shift) % 24
        launch = math.exp(-age0 / video.launch_hours) * self._day_sum(
            video.launch_hours, offset, hours)
        tail_hours = 24 * channel.tail_days
        tail = math.exp(-age0 / tail_hours) * self._day_sum(tail_hours, offset, hours)
        return video.peak_rate * self.day_multiplier(video, channel, day) * (
            LAUNCH_SHARE * launch + (1 - LAUNCH_SHARE) * tail)

    def _day_sum(self, tau: float, offset: int, hours: int) -> float:
        key = (tau, offset, hours)
        found = self._day_sums.get(key)
        if found is None:
            found = self._day_sums[key] = sum(
                math.exp(-k / tau) * DIURNAL[(offset + k) % 24] for k in range(hours))
        return found

    def expected_ctr(self, video, day: date) -> float:
        days_out = (day - pacific_date(video.published_at)).days
        return video.ctr * (1 + CTR_LAUNCH_BOOST * math.exp(-max(days_out, 0) / 2))

    # -- noise ------------------------------------------------------------------------------

    def channel_noise(self, channel, day: date) -> float:
        """The day's noise shared by all of a channel's videos."""
        key = (channel.id, day)
        found = self._channel_noise.get(key)
        if found is None:
            rng = random.Random(f"ytsim:{self.seed}:channel-day:{channel.id}:{day.isoformat()}")
            found = self._channel_noise[key] = gamma1(rng, 1 / channel.day_noise_cv ** 2)
        return found

    def reach(self, video, channel, day: date, expected_views: float,
              ctr_multiplier: float = 1.0) -> Reach:
        """`ctr_multiplier`: the true effect of the title and thumbnail shown that day
        (1 for the video's own); it moves the CTR, not the impressions, and the same
        draws serve every multiplier, so a lift is exactly the multiplier's."""
        base = self.expected_ctr(video, day)
        ctr = base * ctr_multiplier
        expected = video.browse_share * expected_views / base
        rng = random.Random(f"ytsim:{self.seed}:reach:{video.id}:{day.isoformat()}")
        impressions = int(expected * gamma1(rng, IMPRESSION_NOISE_SHAPE) + rng.random())
        p = min(1.0, ctr * gamma1(rng, CTR_NOISE_SHAPE))
        spread = math.sqrt(impressions * p * (1 - p))
        clicks = int(impressions * p + spread * rng.gauss(0, 1) + rng.random())
        return Reach(impressions, min(max(clicks, 0), impressions), expected, ctr)


class VideoSeries:
    """One video's realised views, likes and comments: per Pacific day from its publish day
    (extended in order, so one generator serves every day), split over hours on demand."""

    def __init__(self, dynamics: Dynamics, video, channel):
        self.dynamics, self.video, self.channel = dynamics, video, channel
        self.first_day = pacific_date(video.published_at)
        self.base = hour_floor(video.published_at)
        self._rng = random.Random(f"ytsim:{dynamics.seed}:days:{video.id}")
        self._comment_ratio = 0.0 if video.comments_disabled else video.comment_ratio
        self.totals: list[tuple[int, int, int]] = []
        self._before: list[tuple[int, int, int]] = [(0, 0, 0)]  # sums of the days before
        self._splits: dict[int, list[tuple[int, int, int]]] = {}

    def _extend(self, days: int) -> None:
        rng, video, channel = self._rng, self.video, self.channel
        while len(self.totals) < days:
            day = self.first_day + timedelta(days=len(self.totals))
            mean = self.dynamics.expected_day(video, channel, day)
            noise = self.dynamics.channel_noise(channel, day) * gamma1(
                rng, 1 / video.noise_cv ** 2)
            views = int(mean * noise + rng.random())
            likes = int(views * video.like_ratio * gamma1(rng, LIKE_NOISE_SHAPE) + rng.random())
            comments = int(views * self._comment_ratio * gamma1(rng, COMMENT_NOISE_SHAPE)
                           + rng.random())
            self.totals.append((views, likes, comments))
            v, lk, c = self._before[-1]
            self._before.append((v + views, lk + likes, c + comments))

    def _split(self, index: int) -> list[tuple[int, int, int]]:
        """The cumulative counts at each hour boundary of day `index`."""
        found = self._splits.get(index)
        if found is not None:
            return found
        day = self.first_day + timedelta(days=index)
        rates = self.dynamics.hourly_rates(self.video, self.channel, day)
        rng = random.Random(f"ytsim:{self.dynamics.seed}:hours:{self.video.id}:{day}")
        weights = [rate * gamma1(rng, HOUR_NOISE_SHAPE) for _, rate in rates]
        views, likes, comments = self.totals[index]
        hourly_views = largest_remainder(views, weights)
        shape = hourly_views if views else weights
        columns = zip(hourly_views, largest_remainder(likes, shape),
                      largest_remainder(comments, shape), strict=True)
        cumulative, v, lk, c = [(0, 0, 0)], 0, 0, 0
        for dv, dl, dc in columns:
            v, lk, c = v + dv, lk + dl, c + dc
            cumulative.append((v, lk, c))
        self._splits[index] = cumulative
        return cumulative

    def at(self, hour: datetime) -> tuple[int, int, int]:
        """Lifetime (views, likes, comments) at an hour boundary, before any correction."""
        if hour <= self.base:
            return 0, 0, 0
        day = pacific_date(hour)
        index = (day - self.first_day).days
        self._extend(index + 1)
        v0, l0, c0 = self._before[index]
        done = (hour - max(pacific_day_bounds(day)[0], self.base)) // HOUR
        if done <= 0:  # a day boundary: no need for the day's hours
            return v0, l0, c0
        cumulative = self._split(index)
        v, lk, c = cumulative[min(done, len(cumulative) - 1)]
        return v0 + v, l0 + lk, c0 + c

"""The demo network and the dynamics both worlds share: a believable channel network whose
true means are known. Expected rates are recomputed here from the documented formula
(hour by hour), not with the simulator's own day sums."""

from __future__ import annotations

import itertools
import math
import statistics
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest

from ytempire_dev.simulator import dynamics
from ytempire_dev.simulator.world import SQL_TAG, SQL_TITLE, UNICODE_TITLE, World
from ytempire_dev.simulator.ytempire_systems import events

START = datetime(2026, 12, 8, 15, tzinfo=UTC)
TODAY = date(2026, 12, 8)  # Pacific
WEEKS = 8
HOUR = timedelta(hours=1)


@pytest.fixture(scope="module")
def world() -> World:
    return World.demo(7, START)


def history(weeks: int = WEEKS) -> list[date]:
    return [TODAY - timedelta(days=d) for d in range(7 * weeks, 0, -1)]


def rate_by_formula(world: World, video, hour: datetime, spiked: bool = True) -> float:
    """dynamics' documented rate, written out once more for the test."""
    channel = world.channel(video.channel_id)
    day = dynamics.pacific_date(hour)
    base = video.published_at.replace(minute=0, second=0, microsecond=0)
    age = (hour - base) / HOUR
    if age < 0:
        return 0.0
    decay = (0.85 * math.exp(-age / video.launch_hours)
             + 0.15 * math.exp(-age / (24 * channel.tail_days)))
    diurnal = 1 + 0.5 * math.sin(2 * math.pi * ((hour.hour + channel.diurnal_shift) % 24 - 20)
                                 / 24)
    trend = math.exp(channel.growth_per_day * (day - TODAY).days)
    spike = 1.0
    if spiked and video.spike_day is not None:
        after = (day - dynamics.pacific_date(video.published_at)).days - video.spike_day
        if after >= 0:
            spike += (video.spike_size - 1) * 0.5 ** (after / 1.5)
    first_hour = (base + HOUR - video.published_at) / HOUR if age == 0 else 1.0
    return (video.peak_rate * decay * diurnal * channel.weekly[day.weekday()] * trend * spike
            * first_hour)


def test_same_seed_same_network_other_seed_another(world):
    again = World.demo(7, START)
    assert again.channels == world.channels and again.videos == world.videos
    day = TODAY - timedelta(days=10)
    for video in world.videos[::37]:
        assert again.daily(video.id, day) == world.daily(video.id, day)
        assert again.reach(video.id, day) == world.reach(video.id, day)
        assert again.counters(video.id, START) == world.counters(video.id, START)
    other = World.demo(8, START)
    assert {v.id for v in other.videos}.isdisjoint({v.id for v in world.videos})


def test_a_network_of_channels_in_niches_with_realistic_titles(world):
    channels = world.channels
    assert len(channels) >= 12 and len({c.niche for c in channels}) >= 4
    assert {c.monetized for c in channels} == {True, False}
    assert {c.trend for c in channels} == {"growing", "flat", "declining"}
    titles = [v.title for v in world.videos]
    for video in world.videos:
        assert video.title not in (SQL_TITLE, UNICODE_TITLE) and SQL_TAG not in video.tags
        assert not any(mark in video.title for mark in ("DROP", ";--", "<", ">", "\\"))
        assert video.title[0].isupper() or video.title[0].isdigit(), video.title
    for channel in channels:
        mine = [v.title for v in world.videos_of(channel.id)]
        assert len(mine) == len(set(mine)), channel.title  # a channel never repeats a title
    assert len(set(titles)) > 0.8 * len(titles)


def test_uploads_every_few_days_over_months(world):
    for channel in world.channels:
        published = sorted(v.published_at for v in world.videos_of(channel.id)
                           if v.published_at < START)
        gaps = [(b - a) / timedelta(days=1) for a, b in itertools.pairwise(published)]
        assert gaps and max(gaps) < 12 and statistics.median(gaps) <= 5, channel.title
        months = (START - published[0]) / timedelta(days=30)
        young = channel.published_at > START - timedelta(days=60)
        assert months >= (0.5 if young else 6), channel.title
        # and they keep publishing after the start
        assert any(START < v.published_at < START + timedelta(days=7)
                   for v in world.videos_of(channel.id))


def hours_of(day: date) -> list[datetime]:
    start, end = dynamics.pacific_day_bounds(day)
    return [start + i * HOUR for i in range((end - start) // HOUR)]


def day_by_formula(world: World, video, day: date, spiked: bool = True) -> float:
    return sum(rate_by_formula(world, video, h, spiked) for h in hours_of(day))


def test_expected_views_follow_the_documented_formula(world):
    for video in world.videos[::53]:
        for day in (dynamics.pacific_date(video.published_at),
                    dynamics.pacific_date(video.published_at) + timedelta(days=3),
                    date(2026, 11, 1)):  # the day with 25 hours
            hours = hours_of(day)
            by_formula = day_by_formula(world, video, day)
            expected = world.expected_daily(video.id, day).views
            assert expected == pytest.approx(by_formula, rel=1e-9), (video.id, day)
            hourly = sum(world.expected_hourly_views(video.id, h) for h in hours)
            assert hourly == pytest.approx(expected, rel=1e-9)


def test_realised_figures_scatter_around_the_true_mean(world):
    ratios, revenue, expected_revenue = [], 0.0, 0.0
    for channel in world.channels:
        for day in history():
            truth = world.channel_expected(channel.id, day)
            real = world.channel_daily(channel.id, day)
            if truth.views > 500:
                ratios.append(real["views"] / truth.views)
            if channel.monetized:
                revenue += float(real["estimatedRevenue"])
                expected_revenue += truth.revenue
    mean, spread = statistics.mean(ratios), statistics.stdev(ratios)
    assert mean == pytest.approx(1, abs=0.02)
    # overdispersed: far wider than counting noise (about 1 % at these sizes), not wild
    assert 0.05 < spread < 0.3
    assert revenue == pytest.approx(expected_revenue, rel=0.03)


def test_counters_and_daily_figures_agree_hour_by_hour(world):
    day = TODAY - timedelta(days=5)
    start, end = dynamics.pacific_day_bounds(day)
    for video in world.videos[::41]:
        if not video.has_data_on(day):
            continue
        increments = [world.counters(video.id, start + (i + 1) * HOUR)["views"]
                      - world.counters(video.id, start + i * HOUR)["views"]
                      for i in range((end - start) // HOUR)]
        assert min(increments) >= 0
        assert sum(increments) == world.daily(video.id, day)["views"]


def weekday_ratio(series: list[int], days: list[date]) -> float:
    """max / min over weekdays of the mean of (day / its centred 7-day mean)."""
    by_weekday = defaultdict(list)
    for i in range(3, len(series) - 3):
        centred = sum(series[i - 3:i + 4]) / 7
        if centred:
            by_weekday[days[i].weekday()].append(series[i] / centred)
    means = [statistics.mean(v) for v in by_weekday.values()]
    return max(means) / min(means)


def test_each_channel_has_a_weekly_rhythm(world):
    days = history()
    ratios = [weekday_ratio([world.channel_daily(c.id, d)["views"] for d in days], days)
              for c in world.channels]
    assert statistics.median(ratios) >= 1.15


def test_trends_grow_stay_flat_or_decline(world):
    """Four weeks against the four before, in true means: individual launches and spikes
    move a channel's month too, so the trend shows in each group's median."""
    days = history()
    change = defaultdict(list)
    for channel in world.channels:
        if channel.published_at > START - timedelta(days=200):
            continue  # a young channel grows as its catalogue does
        views = [world.channel_expected(channel.id, d).views for d in days]
        change[channel.trend].append(sum(views[-28:]) / sum(views[:28]))
    growing, flat, declining = (statistics.median(change[t])
                                for t in ("growing", "flat", "declining"))
    assert growing > 1.08 and 0.93 < flat < 1.07 and declining < 0.92


def test_viral_spikes_are_rare_and_big(world):
    spikes = world.spikes()
    assert 0 < len(spikes) < 0.1 * len(world.videos)
    for spike in spikes:
        video = world.video(spike.video_id)
        calm = day_by_formula(world, video, spike.day, spiked=False)
        assert world.expected_daily(video.id, spike.day).views == pytest.approx(
            spike.size * calm, rel=1e-9)
        if spike.day < TODAY:
            assert world.daily(video.id, spike.day)["views"] > 0.4 * spike.size * calm


def test_impressions_and_click_through_rate_per_video_and_day(world):
    clicks = impressions = expected_clicks = 0.0
    for video in world.videos[::7]:
        for day in history(2):
            reach = world.reach(video.id, day)
            truth = world.expected_daily(video.id, day)
            if not video.has_data_on(day):
                assert reach.impressions == reach.clicks == 0
                continue
            assert 0 <= reach.clicks <= reach.impressions
            assert reach.expected_impressions * reach.expected_ctr == pytest.approx(
                video.browse_share * truth.views)
            assert video.ctr <= reach.expected_ctr <= 1.4 * video.ctr
            clicks += reach.clicks
            impressions += reach.impressions
            expected_clicks += reach.expected_impressions * reach.expected_ctr
    assert clicks == pytest.approx(expected_clicks, rel=0.03)
    assert 0.02 < clicks / impressions < 0.12


def test_costs_at_ytempire_levels_with_some_channels_losing_money(world):
    first, last = history()[0], history()[-1]
    costs, payments = events(world, first, last)
    per_video = defaultdict(int)
    for cost in costs:
        if cost.video_id:
            per_video[cost.video_id] += cost.cents
    assert per_video and all(40 <= cents <= 50 for cents in per_video.values())
    profit = defaultdict(int)
    for cost in costs:
        profit[cost.channel_id] -= cost.cents
    for payment in {p.external_ref: p for p in payments}.values():
        if first <= payment.day <= last:
            profit[world.video(payment.video_id).channel_id] += payment.cents
    for channel in world.channels:
        if channel.monetized:
            for day in history():
                revenue = world.channel_daily(channel.id, day)["estimatedRevenue"]
                profit[channel.id] += int(revenue * 100)
    losing = [c for c in world.channels if profit[c.id] < 0]
    assert 2 <= len(losing) <= len(world.channels) // 3
    assert any(c.monetized for c in losing)  # not only the unmonetised ones

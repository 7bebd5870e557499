"""Final days against the simulator: the hourly collector observes some hours, the
revenue load makes each reported (video, day) final. For every loaded day, with full
hourly coverage, partial coverage (registration mid-day, a collector gap) or none
(backfilled history), the fact sums of views, likes, comments and the daily-only
columns are YouTube's; the shape comes from the counters; re-loads and the 16th's
re-pull keep it; the hour-of-day figures leave the daily rows out; the collector
never writes a loaded day.

Expected figures come from the simulated world (`world.daily`, `world.counters`) and
an independent largest-remainder helper, never from the loader."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from revenue_expect import (
    HOUR,
    assert_invariant_4,
    day_hours,
    largest_remainder,
    registered,
)

from ytempire.steplog import TaskRun
from ytempire.youtube import hourly, revenue
from ytempire.youtube.revenue.window import Window, revenue_window
from ytempire_dev.simulator import run_simulator

from loads import run_load
from rows import refresh_all

REGISTERED = datetime(2026, 11, 20, 20, tzinfo=UTC)  # 12:00 Pacific: mid-day
PARTIAL, FULL, GAP, NEXT = date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 22), date(
    2026, 11, 23)
GAP_HOURS = {datetime(2026, 11, 22, h, tzinfo=UTC) for h in range(14, 18)}  # not collected
LAST_COLLECTED = datetime(2026, 11, 23, 8, tzinfo=UTC)  # its increment: the last hour of GAP
HISTORY = (date(2026, 11, 10), date(2026, 11, 19))  # before registration: no hourly rows
COLLECTED = [REGISTERED + i * HOUR for i in range(int((LAST_COLLECTED - REGISTERED) / HOUR) + 1)
             if REGISTERED + i * HOUR not in GAP_HOURS]


@pytest.fixture
def sim():
    with run_simulator(seed=7, channels=2, videos_per_channel=4, clock=REGISTERED) as s:
        yield s


@pytest.fixture
def wh(warehouse_connection, sim, monkeypatch):
    with registered(warehouse_connection, sim, monkeypatch) as conn:
        yield conn


def collect(sim, wh, hour: datetime) -> None:
    sim.set_clock(hour)
    summary, errors = run_load(wh, hourly.load(hour), hour,
                               TaskRun("test.collect", f"test__{hour:%Y%m%dT%H}"), 10)
    assert errors == [] and summary["channels_failed"] == 0


def load(sim, wh, window: Window, clock: datetime) -> None:
    sim.set_clock(clock)
    summary, errors = run_load(wh, revenue.load(window), clock,
                               TaskRun("test.load", f"test__{clock:%Y%m%d}"), 10)
    assert errors == [] and summary["channels_loaded"] == len(sim.world.channels)


def ready_at(day: date) -> datetime:
    """A clock at which the simulator reports `day` (two days after its end)."""
    return datetime(day.year, day.month, day.day, 13, tzinfo=UTC) + timedelta(days=3)


def fact(wh) -> dict:
    return {(v, t): tuple(rest) for v, t, *rest in wh.execute(
        "select video_id, timestamp, views, likes, comments, dislikes, shares, "
        "watch_time_minutes, estimated_revenue_cents, cost_cents, daily_row "
        "from analytics.fact_video_performance")}


def observed_weights(world, video, day: date) -> dict:
    """The collector's increments in `day`, from the world's counters: the increment of
    collected hour H (since the previous collected hour) lands at H - 1 hour."""
    out = {}
    for previous, hour in zip(COLLECTED, COLLECTED[1:], strict=False):
        if hour - HOUR in day_hours(day):
            out[hour - HOUR] = (world.counters(video.id, hour)["views"]
                                - world.counters(video.id, previous)["views"])
    return out


def steady_videos(world) -> list:
    """Videos listed throughout the collection, their first snapshot a baseline."""
    return [v for v in world.videos
            if v.published_at < REGISTERED - timedelta(hours=6)
            and all(v.available_at(h) for h in COLLECTED)]


def test_final_days_with_full_partial_and_no_hourly_coverage(sim, wh):
    world = sim.world
    for hour in COLLECTED:
        collect(sim, wh, hour)
    window = Window.of([(HISTORY[0], GAP)])
    load(sim, wh, window, ready_at(GAP))

    loaded_days = {d for (d,) in wh.execute("select distinct day from analytics.yt_video_daily")}
    assert loaded_days == {HISTORY[0] + timedelta(days=i) for i in range(13)}
    assert assert_invariant_4(wh, world) == sum(
        world.has_data(v.id, d) for v in world.videos for d in loaded_days)

    rows = fact(wh)
    videos = steady_videos(world)
    assert videos, "the world has videos listed throughout"
    for video in videos:
        for day in (PARTIAL, FULL, GAP):
            weights = observed_weights(world, video, day)
            figures = world.daily(video.id, day)
            hours = sorted(weights)
            final = largest_remainder(figures["views"], [weights[h] for h in hours])
            got = [rows[(video.id, h)] for h in hours]
            assert [r[0] for r in got] == final, (video.id, day)
            assert [r[1] for r in got] == largest_remainder(figures["likes"], final)
            assert [r[2] for r in got] == largest_remainder(figures["comments"], final)
            assert [r[3] for r in got] == largest_remainder(figures["dislikes"], final)
            assert not any(r[-1] for r in got)
            # no row where nothing was observed (before registration, in the gap)
            assert {t for (v, t) in rows if v == video.id and t in day_hours(day)} == set(hours)
        assert len(observed_weights(world, video, FULL)) == 24
        assert len(observed_weights(world, video, GAP)) == 24 - len(GAP_HOURS)
    # backfilled history: one daily row per reported video and day, at the day's first hour
    for video in world.videos:
        for i in range(10):
            day = HISTORY[0] + timedelta(days=i)
            mine = {t: r for (v, t), r in rows.items() if v == video.id and t in day_hours(day)}
            if not world.has_data(video.id, day):
                assert mine == {}
                continue
            figures = world.daily(video.id, day)
            assert mine == {day_hours(day)[0]: (
                figures["views"], figures["likes"], figures["comments"], figures["dislikes"],
                figures["shares"], mine[day_hours(day)[0]][5], mine[day_hours(day)[0]][6], 0,
                True)}

    # a re-load keeps the shape (and every figure)
    load(sim, wh, window, ready_at(GAP) + timedelta(hours=1))
    assert fact(wh) == rows

    # hour-of-day figures leave the daily rows out
    refresh_all(wh)
    metrics = {(c, h): (total, observed) for c, h, total, observed in wh.execute(
        "select channel_id, hour, total_views, observed_views from analytics.hourly_channel_metrics")}
    observed_hours = {h - HOUR for h in COLLECTED}
    for (channel_id, hour), (_total, observed) in metrics.items():
        expected = sum(r[0] for (v, t), r in rows.items()
                       if t == hour and t in observed_hours and world.video(v).channel_id == channel_id)
        assert observed == expected, (channel_id, hour)
    first_hours = {day_hours(HISTORY[0] + timedelta(days=i))[0] for i in range(10)}
    history = [metrics[k] for k in metrics if k[1] in first_hours]
    assert history and all(observed == 0 for _, observed in history)
    assert sum(total for total, _ in history) > 0
    by_hour_of_day = dict(wh.execute(
        "select extract(hour from hour at time zone 'America/Los_Angeles')::int, "
        "sum(observed_views) from analytics.hourly_channel_metrics group by 1"))
    expected_by_hour: dict = {}
    for (_, t), r in rows.items():
        if t in observed_hours:
            key = t.astimezone(world_zone()).hour
            expected_by_hour[key] = expected_by_hour.get(key, 0) + r[0]
    assert {k: v for k, v in by_hour_of_day.items() if v} == {
        k: v for k, v in expected_by_hour.items() if v}


def world_zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo("America/Los_Angeles")


def test_the_16th_re_pull_keeps_the_shape_and_the_collector_never_writes_a_final_day(sim, wh):
    world = sim.world
    for hour in COLLECTED:
        collect(sim, wh, hour)
    load(sim, wh, Window.of([(FULL, NEXT)]), ready_at(NEXT))
    before = fact(wh)
    first_of_next = day_hours(NEXT)[0]
    assert {r[-1] for (v, t), r in before.items() if t == first_of_next} == {True}

    # the newest hour's increment falls on NEXT's first hour, which the load made final
    collect(sim, wh, LAST_COLLECTED + HOUR)
    after = fact(wh)
    assert after == before
    assert wh.execute("select count(*) from analytics.video_stats_snapshot where snapshot_hour = %s",
                      (LAST_COLLECTED + HOUR,)).fetchone()[0] > 0

    # the run of December 16 re-pulls November: the loaded days keep their rows exactly
    logical = datetime(2026, 12, 16, 13, tzinfo=UTC)
    window = revenue_window(logical)
    assert (date(2026, 11, 1), date(2026, 11, 30)) in window.ranges
    load(sim, wh, window, logical)
    repulled = fact(wh)
    loaded = {k: r for k, r in before.items()
              if any(k[1] in day_hours(d) for d in (FULL, GAP, NEXT))}
    assert len(loaded) > 24 * len(steady_videos(world))
    assert {k: repulled[k] for k in loaded} == loaded
    assert assert_invariant_4(wh, world) > len({(v, t.date()) for v, t in before})

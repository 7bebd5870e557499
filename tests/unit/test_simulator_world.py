"""The simulator's world: deterministic, self-consistent, with the edge cases loaders need."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from ytempire_dev.simulator import reports
from ytempire_dev.simulator.errors import ApiError
from ytempire_dev.simulator.world import (
    METRIC_KEYS,
    REVENUE_KEYS,
    SQL_TAG,
    SQL_TITLE,
    World,
    iso_duration,
    pacific_date,
    pacific_day_bounds,
)

START = datetime(2026, 11, 20, 12, tzinfo=UTC)
HOUR = timedelta(hours=1)
ADDITIVE = [k for k in (*METRIC_KEYS, *REVENUE_KEYS) if k != "averageViewDuration"]


@pytest.fixture(scope="module")
def world() -> World:
    return World(seed=7, channels=3, videos_per_channel=5, start=START)


def days(first: date, last: date):
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def test_same_seed_same_world_other_seed_other_world(world):
    again = World(seed=7, channels=3, videos_per_channel=5, start=START)
    other = World(seed=8, channels=3, videos_per_channel=5, start=START)
    assert again.channels == world.channels and again.videos == world.videos
    assert again.corrections == world.corrections
    day = date(2026, 11, 15)
    for v in world.videos:
        assert again.daily(v.id, day) == world.daily(v.id, day)
        assert again.counters(v.id, START) == world.counters(v.id, START)
    assert {v.id for v in other.videos}.isdisjoint({v.id for v in world.videos})


def test_numbers_do_not_depend_on_the_order_of_questions():
    a = World(seed=7, start=START)
    b = World(seed=7, start=START)
    vid = a.videos[0].id
    late = START + timedelta(days=2)
    first = a.counters(vid, late)  # extends the series in one go
    for h in range(0, 200, 7):  # b gets there in small steps
        b.counters(vid, START - timedelta(days=3) + h * HOUR)
    assert b.counters(vid, late) == first


def test_ids_and_derived_names(world):
    for c in world.channels:
        assert re.fullmatch(r"UC[A-Za-z0-9_-]{22}", c.id)
        assert c.uploads_playlist_id == "UU" + c.id[2:]
        assert c.refresh_token == f"refresh-{c.id}"
        assert c.handle.startswith("@")
    assert len(world.videos) == 15
    for v in world.videos:
        assert re.fullmatch(r"[A-Za-z0-9_-]{11}", v.id)
        assert re.fullmatch(r"PT(\d+H)?(\d+M)?(\d+S)?", v.duration)
    assert len({v.id for v in world.videos}) == 15


def test_iso_duration():
    assert iso_duration(45) == "PT45S"
    assert iso_duration(253) == "PT4M13S"
    assert iso_duration(3720) == "PT1H2M"
    assert iso_duration(0) == "PT0S"


def test_edge_cases_exist(world):
    ch0, ch1, ch2 = world.channels
    assert [c.monetized for c in world.channels] == [True, False, True]
    titles = [v.title for v in world.videos_of(ch0.id)]
    assert len(titles) - len(set(titles)) == 1  # one pair shares a title
    sql = [v for v in world.videos if v.title == SQL_TITLE]
    assert len(sql) == 1 and SQL_TAG in sql[0].tags
    assert any(v.comments_disabled for v in world.videos)
    assert any(v.likes_hidden_until is None and v.likes_hidden_from for v in world.videos)
    assert any(v.likes_hidden_until for v in world.videos)  # hidden, then shown again
    assert any(v.published_at < START - timedelta(days=20) for v in world.videos)
    later = [v for v in world.videos if v.published_at > START]
    assert later and all(v.published_at < START + timedelta(days=2) for v in later)
    removed = {v.removal for v in world.videos if v.removed_at}
    assert removed == {"deleted", "private"}
    assert any(not v.tags for v in world.videos)


def test_visibility_follows_the_clock(world):
    late = next(v for v in world.videos if v.published_at > START)
    gone = next(v for v in world.videos if v.removal == "deleted")
    assert late not in world.uploads(late.channel_id, START)
    assert late in world.uploads(late.channel_id, late.published_at)
    assert gone in world.uploads(gone.channel_id, gone.removed_at - HOUR)
    assert gone not in world.uploads(gone.channel_id, gone.removed_at)
    ups = world.uploads(world.channels[0].id, START + timedelta(days=1))
    assert ups == sorted(ups, key=lambda v: v.published_at, reverse=True)


def test_counters_zero_before_publish_then_rising_except_corrections(world):
    window = [START - timedelta(days=10) + i * HOUR for i in range(24 * 14)]
    drops = set()
    for v in world.videos:
        assert world.counters(v.id, v.published_at - timedelta(seconds=1))["views"] == 0
        prev = None
        for at in window:
            c = world.counters(v.id, at)
            assert all(isinstance(c[k], int) and c[k] >= 0 for k in c if c[k] is not None)
            if prev is not None:
                if c["views"] < prev["views"]:
                    drops.add((v.id, at))
                for k in ("likes", "comments"):
                    if c[k] is not None and prev[k] is not None:
                        assert c[k] >= prev[k]
            prev = c
        if v.published_at < START - timedelta(days=10):
            assert world.counters(v.id, START)["views"] > world.counters(v.id, window[0])["views"]
    assert drops == {(c.video_id, c.at) for c in world.corrections}
    # at least one correction happens in the first days after the start
    assert any(START < c.at <= START + timedelta(days=3) for c in world.corrections)


def test_hidden_and_disabled_counters(world):
    permanent = next(v for v in world.videos if v.likes_hidden_from and not v.likes_hidden_until)
    window = next(v for v in world.videos if v.likes_hidden_until)
    disabled = next(v for v in world.videos if v.comments_disabled)
    assert world.counters(permanent.id, START)["likes"] is None
    assert world.counters(window.id, window.likes_hidden_from - HOUR)["likes"] is not None
    assert world.counters(window.id, window.likes_hidden_from)["likes"] is None
    assert world.counters(window.id, window.likes_hidden_until)["likes"] is not None
    assert world.counters(disabled.id, START)["comments"] is None
    assert world.daily(disabled.id, date(2026, 11, 15))["comments"] == 0


def test_removed_video_counters_freeze(world):
    gone = next(v for v in world.videos if v.removed_at)
    frozen = world.counters(gone.id, gone.removed_at)
    assert world.counters(gone.id, gone.removed_at + timedelta(days=5)) == frozen
    after = pacific_date(gone.removed_at) + timedelta(days=1)
    assert not gone.has_data_on(after)
    assert gone.has_data_on(pacific_date(gone.removed_at))


def test_daily_views_are_counter_differences_clamped(world):
    clamped = 0
    for v in world.videos:
        for day in days(date(2026, 10, 25), date(2026, 11, 22)):
            start, end = pacific_day_bounds(day)
            d = world.daily(v.id, day)
            diff = world.counters(v.id, end)["views"] - world.counters(v.id, start)["views"]
            assert d["views"] == max(diff, 0)
            clamped += diff < 0
            if d["views"] == 0:
                assert d["averageViewDuration"] == d["estimatedMinutesWatched"] == 0
                assert d["shares"] == 0
            assert 0 <= d["averageViewDuration"] <= v.duration_seconds
            if (
                world.counters(v.id, start)["likes"] is not None
                and world.counters(v.id, end)["likes"] is not None
            ):
                likes = world.counters(v.id, end)["likes"] - world.counters(v.id, start)["likes"]
                assert d["likes"] == likes
    assert clamped >= 1  # a spam correction bigger than the day's gains


def test_revenue_is_exact_decimal_and_consistent(world):
    seen = []
    for v in world.videos:
        monetized = world.channel(v.channel_id).monetized
        for day in days(date(2026, 10, 1), date(2026, 11, 20)):
            d = world.daily(v.id, day)
            if not monetized:
                assert not set(REVENUE_KEYS) & set(d)
                continue
            total, ad = d["estimatedRevenue"], d["estimatedAdRevenue"]
            assert isinstance(total, Decimal) and isinstance(ad, Decimal)
            assert total == total.quantize(Decimal("0.001")) and 0 <= ad <= total
            if d["views"] == 0:
                assert total == ad == 0
            seen += [total, ad]
    half_cents = [x for x in seen if (x * 1000) % 10 == 5]
    assert Decimal("2.675") in seen and Decimal("0.125") in seen
    assert len(half_cents) > 20


def test_channel_daily_is_the_exact_sum_of_its_videos(world):
    for c in world.channels:
        for day in days(date(2026, 10, 20), date(2026, 11, 22)):
            rows = [world.daily(v.id, day) for v in world.videos_of(c.id) if v.has_data_on(day)]
            total = world.channel_daily(c.id, day)
            keys = [k for k in ADDITIVE if c.monetized or k not in REVENUE_KEYS]
            for k in keys:
                assert total[k] == sum((r[k] for r in rows), type(total[k])(0)), (c.id, day, k)
            assert world.channel_has_data(c.id, day) == bool(rows)


def test_readiness_lag_and_boundary():
    w = World(seed=7, start=START)
    assert w.last_ready_day() == date(2026, 11, 17)
    day = date(2026, 11, 18)
    end = pacific_day_bounds(day)[1]
    assert not w.is_ready(day, end + timedelta(days=2) - timedelta(seconds=1))
    assert w.is_ready(day, end + timedelta(days=2))
    w.set_clock(end + timedelta(days=2))
    assert w.last_ready_day() == day
    lagless = World(seed=7, start=START, ready_lag=timedelta(0))
    assert lagless.last_ready_day() == date(2026, 11, 19)
    with pytest.raises(ValueError):
        w.set_clock(datetime(2026, 11, 20))


def test_pacific_days_follow_dst():
    start, end = pacific_day_bounds(date(2026, 11, 1))  # fall back: 25 hours
    assert end - start == timedelta(hours=25)
    assert start == datetime(2026, 11, 1, 7, tzinfo=UTC)
    start, end = pacific_day_bounds(date(2026, 3, 8))  # spring forward: 23 hours
    assert end - start == timedelta(hours=23)


def test_report_query_without_http(world):
    ch = world.channels[0]
    table = reports.query(
        world,
        {
            "ids": "channel==MINE",
            "startDate": "2026-11-10",
            "endDate": "2026-11-30",
            "metrics": "views,estimatedRevenue",
            "dimensions": "day",
        },
        ch.id,
    )
    assert [r[0] for r in table["rows"]] == [
        d.isoformat() for d in days(date(2026, 11, 10), date(2026, 11, 17))
    ]
    for day, views, revenue in table["rows"]:
        expected = world.channel_daily(ch.id, date.fromisoformat(day))
        assert (views, revenue) == (expected["views"], expected["estimatedRevenue"])
    unready = reports.query(
        world,
        {
            "ids": "channel==MINE",
            "startDate": "2026-11-18",
            "endDate": "2026-11-19",
            "metrics": "views",
        },
        ch.id,
    )
    assert "rows" not in unready
    with pytest.raises(ApiError) as err:
        reports.query(
            world,
            {
                "ids": "channel==MINE",
                "startDate": "2026-11-10",
                "endDate": "2026-11-10",
                "metrics": "estimatedRevenue",
            },
            world.channels[1].id,
        )
    assert err.value.code == 403 and err.value.reason == "forbidden"

"""Pure parsing of Data API answers for the catalog (no network, no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ytempire.youtube.uploads.parse import parse_channel, parse_iso_duration, parse_video
from ytempire_dev.simulator.world import iso_duration


@pytest.mark.parametrize(("text", "seconds"), [
    ("PT1H2M3S", 3723), ("PT45S", 45), ("PT2M", 120), ("PT1H", 3600), ("PT0S", 0),
    ("P0D", 0), ("P1DT2H", 93600), ("P1W", 604800), ("PT1M30.5S", 90), ("PT10H0M1S", 36001),
])
def test_iso_8601_durations(text, seconds):
    assert parse_iso_duration(text) == seconds


@pytest.mark.parametrize("text", [None, "", "P", "PT", "P1DT", "1:02:03", "PT1H2X", "pt1h",
                                  "PT-5S", "T1H"])
def test_unreadable_durations_are_unknown_not_guessed(text):
    assert parse_iso_duration(text) is None


@pytest.mark.parametrize("seconds", [0, 1, 59, 60, 61, 3599, 3600, 3661, 5400, 86399, 90061])
def test_durations_as_the_simulator_writes_them(seconds):
    assert parse_iso_duration(iso_duration(seconds)) == seconds


def test_video_item_becomes_a_dim_video_row():
    item = {
        "id": "abc123def45",
        "snippet": {
            "publishedAt": "2026-11-01T08:30:00Z",
            "title": "Robert'); DROP TABLE analytics.dim_video;--",
            "description": "line 1\nline 2",
            "thumbnails": {"default": {"url": "d.jpg"}, "high": {"url": "h.jpg"}},
            "tags": ["a", "'; DROP TABLE x;--"],
            "categoryId": "22",
        },
        "contentDetails": {"duration": "PT4M13S"},
    }
    video = parse_video(item)
    assert video.video_id == "abc123def45"
    assert video.title == "Robert'); DROP TABLE analytics.dim_video;--"
    assert video.publish_date == datetime(2026, 11, 1, 8, 30, tzinfo=UTC)
    assert video.duration_seconds == 253
    assert video.thumbnail_url == "h.jpg"
    assert video.tags == ["a", "'; DROP TABLE x;--"]
    assert video.category_id == "22"


def test_video_without_tags_or_duration():
    video = parse_video({"id": "x", "snippet": {"title": "t"}, "contentDetails": {}})
    assert video.tags == [] and video.duration_seconds is None and video.thumbnail_url is None


def test_channel_item():
    item = {
        "id": "UCabc",
        "snippet": {"title": "Chan", "customUrl": "@chan", "publishedAt": "2020-02-03T04:05:06Z"},
        "contentDetails": {"relatedPlaylists": {"uploads": "UUabc"}},
        "statistics": {"subscriberCount": "1200", "videoCount": "37", "hiddenSubscriberCount": False},
    }
    info = parse_channel("UCabc", item)
    assert (info.title, info.handle, info.subscriber_count, info.video_count,
            info.uploads_playlist_id, info.published) == (
        "Chan", "@chan", 1200, 37, "UUabc", date(2020, 2, 3))


def test_hidden_subscriber_count_is_unknown_not_zero():
    item = {"id": "UCabc", "snippet": {"title": "Chan"},
            "statistics": {"hiddenSubscriberCount": True, "videoCount": "3"}}
    info = parse_channel("UCabc", item)
    assert info.subscriber_count is None and info.video_count == 3

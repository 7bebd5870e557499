"""Pure parts of the hourly collector: validation of statistics, the hour of a run,
the sync schedule, batching, and the quota arithmetic at 10,000 videos."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from ytempire.youtube import hourly
from ytempire.youtube.channels import batch_label, batches
from ytempire.youtube.hourly.fetch import sync_due, units_per_day, units_per_hour, units_per_sync
from ytempire.youtube.hourly.parse import Counters, parse_statistics

H = datetime(2026, 11, 20, 12, tzinfo=UTC)


def item(video_id, **stats):
    return {"kind": "youtube#video", "id": video_id, "statistics": stats}


def test_valid_counters_with_hidden_likes_and_disabled_comments():
    items = [item("a", viewCount="10", likeCount="2", commentCount="1"),
             item("b", viewCount="7", favoriteCount="0"),
             item("c", viewCount=0, likeCount=3)]
    parsed = parse_statistics(items, ["a", "b", "c", "d"], "UC1", H)
    assert parsed.rows == [Counters("a", 10, 2, 1), Counters("b", 7, None, None),
                           Counters("c", 0, 3, None)]
    assert parsed.rejected == [] and parsed.missing == ["d"] and parsed.received == 3


@pytest.mark.parametrize(("stats", "reason"), [
    ({"viewCount": "n/a"}, "non-numeric counter viewCount='n/a'"),
    ({"viewCount": "12.5"}, "non-numeric counter viewCount='12.5'"),
    ({"viewCount": True}, "non-numeric counter viewCount=True"),
    ({"viewCount": "5", "likeCount": "lots"}, "non-numeric counter likeCount='lots'"),
    ({"viewCount": "-1"}, "negative lifetime count viewCount=-1"),
    ({"viewCount": "5", "commentCount": "-3"}, "negative lifetime count commentCount=-3"),
    ({"likeCount": "5"}, "missing viewCount"),
    ({"viewCount": str(2**63)}, f"counter out of range viewCount={2**63}"),
])
def test_malformed_counters_are_rejected_with_a_reason(stats, reason):
    parsed = parse_statistics([item("a", **stats)], ["a"], "UC1", H)
    assert parsed.rows == [] and parsed.missing == []
    [rejected] = parsed.rejected
    assert rejected.reason == reason
    assert rejected.video_id == "a" and rejected.channel_id == "UC1"
    assert rejected.payload == {"snapshot_hour": H.isoformat(), "item": item("a", **stats)}


def test_unknown_duplicate_and_id_less_items_are_rejected_and_counts_balance():
    items = [item("a", viewCount="1"), item("zz", viewCount="1"), item("a", viewCount="2"),
             {"kind": "youtube#video", "statistics": {"viewCount": "1"}}, "garbage",
             {"id": "b"}]
    parsed = parse_statistics(items, ["a", "b"], "UC1", H)
    assert [r.video_id for r in parsed.rows] == ["a"]
    assert parsed.rows[0].view_count == 1, "the first of two items for one video wins"
    assert [r.reason.split(" ")[0] for r in parsed.rejected] == [
        "unknown", "duplicate", "item", "item", "item"]
    assert parsed.received == len(items) == len(parsed.rows) + len(parsed.rejected)
    assert parsed.missing == []


def test_the_hour_of_a_run_is_its_logical_time_on_the_hour_in_utc():
    pacific = datetime(2026, 11, 20, 4, 59, 59, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert hourly.collection_hour(pacific) == datetime(2026, 11, 20, 12, tzinfo=UTC)
    with pytest.raises(ValueError):
        hourly.collection_hour(datetime(2026, 11, 20, 12))


def test_uploads_sync_when_never_done_or_six_hours_old():
    assert sync_due(None, H, 6)
    assert not sync_due(H, H, 6), "a re-run of the syncing hour does not sync again"
    assert not sync_due(H - timedelta(hours=5), H, 6)
    assert sync_due(H - timedelta(hours=6), H, 6)
    assert not sync_due(H + timedelta(hours=3), H, 6), "a newer sync (revenue DAG) counts"


def test_channels_in_groups_per_mapped_task():
    channels = [{"channel_id": f"UC{i:03d}"} for i in range(45)]
    groups = batches(channels, 20)
    assert [len(g) for g in groups] == [20, 20, 5]
    assert [c for g in groups for c in g] == channels
    assert batches([], 20) == []
    assert batch_label(groups[2]) == "UC040..UC044 (5 channels)"


def test_quota_at_ten_thousand_videos_stays_within_ten_thousand_units_a_day():
    # 10,000 videos in 20 channels of 500. Each Data API list call costs 1 unit.
    channels = [500] * 20
    # every hour: videos.list(part=statistics), 50 ids a call, per channel
    per_hour = 20 * math.ceil(500 / 50)
    assert per_hour == 200 == units_per_hour(channels)
    # every 6 hours, per channel: channels.list (1) + playlistItems pages (500 / 50 = 10)
    # + videos.list over the uploads (10)
    per_sync = 20 * (1 + 10 + 10)
    assert per_sync == 420 == units_per_sync(channels)
    per_day = 24 * per_hour + (24 // 6) * per_sync
    assert per_day == 4800 + 1680 == 6480 == units_per_day(channels, 6)
    assert per_day <= 10_000

    # the same 10,000 videos in 100 channels of 100: ceil per channel still fits
    assert units_per_day([100] * 100, 6) == 24 * 200 + 4 * 100 * (1 + 2 + 2) == 6800
    # where it stops fitting: 10,000 videos in 400 channels of 25 (one call per channel and hour)
    assert units_per_day([25] * 400, 6) == 24 * 400 + 4 * 400 * 3 == 14400 > 10_000

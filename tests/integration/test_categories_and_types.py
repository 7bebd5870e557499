"""Categories and video types from the uploads sync against the simulator: the
category's name from videoCategories.list (asked once, then cached), video_type from
the content system's label, else the operators' mapping from the category.
Expected values come from the simulator's category table and the test's own rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from revenue_expect import registered

from ytempire.youtube.client import client_for
from ytempire.youtube.uploads import fetch, parse, write
from ytempire_dev.simulator import run_simulator
from ytempire_dev.simulator.dataapi import VIDEO_CATEGORIES

START = datetime(2026, 11, 20, 12, tzinfo=UTC)
# the migration's defaults, written out here
DEFAULT_TYPES = {"People & Blogs": "entertainment", "Education": "educational",
                 "Gaming": "entertainment", "Entertainment": "entertainment",
                 "Howto & Style": "educational", "Science & Technology": "educational",
                 "Music": "entertainment"}


@pytest.fixture
def sim():
    with run_simulator(seed=7, channels=2, videos_per_channel=4, clock=START) as s:
        yield s


@pytest.fixture
def wh(warehouse_connection, sim, monkeypatch):
    with registered(warehouse_connection, sim, monkeypatch) as conn:
        yield conn


def sync_all(sim, wh, at: datetime) -> None:
    """Each channel's uploads sync, as the runner runs it (fetch, parse, one transaction)."""
    for n, channel in enumerate(sim.world.channels):
        uploads = parse.parse(fetch.fetch(wh, client_for(channel.id, f"youtube_{n}"), channel.id))
        with wh.transaction():
            write.write(wh, uploads, at)


def videos(wh) -> dict:
    return {v: (cid, name, vtype) for v, cid, name, vtype in wh.execute(
        "select video_id, category_id, category, video_type from analytics.dim_video")}


def test_category_names_are_asked_once_and_types_follow_label_then_mapping(sim, wh):
    world = sim.world
    labelled = world.videos_of(world.channels[0].id)[1]
    wh.execute("insert into analytics.content_video_type (video_id, video_type, source) "
               "values (%s, 'news', 'content-system')", (labelled.id,))
    sync_all(sim, wh, START)

    got = videos(wh)
    listed = {v.id: v for c in world.channels for v in world.uploads(c.id, START)}
    assert set(got) == set(listed)
    for video_id, video in listed.items():
        name = VIDEO_CATEGORIES[video.category_id][0]
        want_type = "news" if video_id == labelled.id else DEFAULT_TYPES[name]
        assert got[video_id] == (video.category_id, name, want_type), video_id
    first, second = ({v.category_id for v in world.uploads(c.id, START)} for c in world.channels)
    assert len(first | second) > 1
    # one call per channel sync that meets ids not cached yet, all its new ids at once
    asked = 1 + bool(second - first)
    assert sim.calls.get("videoCategories") == asked

    # cached: a later sync asks no category; an operator's mapping edit applies on it
    edited = VIDEO_CATEGORIES[world.videos_of(world.channels[1].id)[2].category_id][0]
    wh.execute("update analytics.video_type_by_category set video_type = 'howto' "
               "where category = %s", (edited,))
    sync_all(sim, wh, START + timedelta(hours=6))
    assert sim.calls.get("videoCategories") == asked
    for video_id, (_, name, vtype) in videos(wh).items():
        if video_id != labelled.id:
            assert vtype == ("howto" if name == edited else DEFAULT_TYPES[name]), video_id
    assert videos(wh)[labelled.id][2] == "news"


def test_a_category_without_a_mapping_leaves_the_type_empty_until_one_is_added(sim, wh):
    wh.execute("delete from analytics.video_type_by_category")
    sync_all(sim, wh, START)
    assert {vtype for _, _, vtype in videos(wh).values()} == {None}
    wh.execute("insert into analytics.video_type_by_category (category, video_type) "
               "select distinct category, 'mapped' from analytics.dim_video")
    sync_all(sim, wh, START + timedelta(hours=6))
    assert {vtype for _, _, vtype in videos(wh).values()} == {"mapped"}

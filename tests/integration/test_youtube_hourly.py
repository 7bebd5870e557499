"""The hourly counter collector (`youtube_video_stats_hourly`) against the real local
PostgreSQL and the YouTube simulator.

Expected figures come from the simulated world itself (`world.counters`,
`world.uploads`, publish and removal times), through a small model of
docs/design.md's "Hourly counters" rules written here, never from the collector's
own output.
"""

from __future__ import annotations

import json
import logging
import math
import time
from datetime import UTC, datetime, timedelta

import pytest
from test_video_stats_latest import expected_latest, history_rows, latest

from ytempire.steplog import TaskRun
from ytempire.youtube import hourly
from ytempire.youtube.hourly import fetch as hourly_fetch
from ytempire_dev.simulator import run_simulator
from ytempire_dev.simulator.dataapi import VIDEO_CATEGORIES
from ytempire_dev.simulator.faults import UNKNOWN_VIDEO_ID
from ytempire_dev.simulator.world import SQL_TAG, SQL_TITLE, UNICODE_TITLE

from loads import run_load

START = datetime(2026, 11, 20, 12, tzinfo=UTC)
HOUR = timedelta(hours=1)
SYNC_EVERY = timedelta(hours=6)


def at(hours: int) -> datetime:
    return START + hours * HOUR


# --- fixtures --------------------------------------------------------------------------

@pytest.fixture
def sim():
    with run_simulator(seed=7, channels=3, videos_per_channel=5, clock=START) as s:
        yield s


def youtube_connection(sim, channel) -> str:
    return json.dumps({"conn_type": "generic", "extra": {
        "client_id": "test-client", "client_secret": "test-secret",
        "refresh_token": channel.refresh_token, "api_root": sim.url}})


def register_channels(conn, sim, monkeypatch) -> None:
    """The operator's step: each channel by id, with its own YouTube connection."""
    monkeypatch.setenv("AIRFLOW_CONN_YOUTUBE_DEFAULT", youtube_connection(sim, sim.world.channels[0]))
    for index, channel in enumerate(sim.world.channels):
        monkeypatch.setenv(f"AIRFLOW_CONN_YOUTUBE_TEST_{index}", youtube_connection(sim, channel))
        conn.execute(
            "insert into analytics.dim_channel (channel_id, channel_name, monetization_enabled, metadata)"
            " values (%s, %s, %s, %s)",
            (channel.id, f"registered {index}", channel.monetized,
             json.dumps({"youtube_conn_id": f"youtube_test_{index}"})))


@pytest.fixture
def collector(sim, warehouse, warehouse_connection, monkeypatch):
    register_channels(warehouse, sim, monkeypatch)
    return Collector(sim, warehouse)


@pytest.fixture
def no_backoff(monkeypatch):
    """Keep the Google client's retries, skip its back-off sleeps."""
    import googleapiclient.http

    class _Time:
        def __getattr__(self, name):
            return getattr(time, name)

        @staticmethod
        def sleep(seconds):
            return None

    monkeypatch.setattr(googleapiclient.http, "time", _Time())


class Collector:
    """Runs the collector for an hour the way the DAG's tasks do: plan, one runner batch
    per mapped task, summarise."""

    def __init__(self, sim, conn, batch_size: int = 2):
        self.sim, self.conn, self.batch_size = sim, conn, batch_size

    def run(self, hour: datetime, seen: datetime | None = None, run_id: str | None = None,
            batch_size: int | None = None) -> tuple[dict, list[Exception]]:
        """Collect `hour` with the simulator's clock at `seen` (default: the hour itself)."""
        self.sim.set_clock(seen or hour)
        run = TaskRun(f"{hourly.DAG_ID}.collect_hourly_counters",
                      run_id or f"test__{hour:%Y%m%dT%H}")
        return run_load(self.conn, hourly.load(hour), hour, run, batch_size or self.batch_size)

    def ok(self, hour: datetime, seen: datetime | None = None, **kw) -> dict:
        summary, errors = self.run(hour, seen, **kw)
        assert errors == []
        return summary


# --- the independent model ---------------------------------------------------------------

class Model:
    """docs/design.md's hourly-counter rules over the simulated world (one sync schedule for all
    channels: the first run, then whenever the last sync is 6 hours old)."""

    def __init__(self, world):
        self.world = world
        self.starts_from_zero: dict[str, bool] = {}
        self.expected: set[str] = set()
        self.unavailable_since: dict[str, datetime] = {}
        self.last_sync: datetime | None = None
        self.last: dict[str, dict] = {}
        self.snapshots: dict[tuple[str, datetime], tuple] = {}
        self.facts: dict[tuple[str, datetime], tuple] = {}

    def collect(self, hour: datetime, seen: datetime | None = None) -> None:
        seen = seen or hour
        if self.last_sync is None or hour - self.last_sync >= SYNC_EVERY:
            listed = {v.id for c in self.world.channels for v in self.world.uploads(c.id, seen)}
            for video_id in sorted(listed):
                if video_id not in self.starts_from_zero:
                    self.starts_from_zero[video_id] = (
                        self.last_sync is not None
                        and self.world.video(video_id).published_at > self.last_sync)
            for video_id in self.expected - listed:
                self.unavailable_since.setdefault(video_id, hour)
            self.expected = listed
            self.unavailable_since = {k: v for k, v in self.unavailable_since.items()
                                      if k not in listed}
            self.last_sync = hour
        for video_id in sorted(self.expected):
            if not self.world.video(video_id).available_at(seen):
                self.expected.discard(video_id)
                self.unavailable_since[video_id] = hour
                continue
            now = self.world.counters(video_id, seen)
            before = self.last.get(video_id)
            if before is not None:
                self.facts[(video_id, hour - HOUR)] = (
                    now["views"] - before["views"],
                    _diff(now["likes"], before["likes"]),
                    _diff(now["comments"], before["comments"]))
            elif self.starts_from_zero[video_id]:
                self.facts[(video_id, hour - HOUR)] = (
                    now["views"], now["likes"] or 0, now["comments"] or 0)
            self.snapshots[(video_id, hour)] = (now["views"], now["likes"], now["comments"])
            self.last[video_id] = now


def _diff(now, before):
    return 0 if now is None or before is None else now - before


# --- reading the warehouse -------------------------------------------------------------------

def facts(conn) -> dict:
    rows = conn.execute(
        "select video_id, timestamp, views, likes, comments from analytics.fact_video_performance"
    ).fetchall()
    return {(v, t): (views, likes, comments) for v, t, views, likes, comments in rows}


def snapshots(conn) -> dict:
    rows = conn.execute(
        "select video_id, snapshot_hour, view_count, like_count, comment_count "
        "from analytics.video_stats_snapshot").fetchall()
    return {(v, h): (views, likes, comments) for v, h, views, likes, comments in rows}


# which run wrote a row is audit too: `dag.test` gives every run a new run id
AUDIT_COLUMNS = {"collected_at", "created_at", "updated_at", "quarantined_at", "loaded_at", "run_id"}
TABLES = ("video_stats_snapshot", "fact_video_performance", "dim_video", "dim_channel",
          "load_quarantine")


def table_state(conn) -> dict:
    """Every row of the tables the collector writes, audit timestamps aside."""
    state = {}
    for table in TABLES:
        cur = conn.execute(f"select * from analytics.{table}")  # noqa: S608 (constant names)
        names = [d.name for d in cur.description]
        keep = [i for i, n in enumerate(names) if n not in AUDIT_COLUMNS and n != "id"]
        state[table] = sorted(tuple(str(row[i]) for i in keep) for row in cur.fetchall())
    return state


def video_index(sim, ci: int, vi: int) -> str:
    return [v for v in sim.world.videos_of(sim.world.channels[ci].id) if v.index == vi][0].id


# --- the hourly rules --------------------------------------------------------------------------

COLLECTED = [*range(0, 20), *range(23, 32)]  # hours after START; 20-22 are a gap
FROZEN = 8  # collected with the clock still at hour 7: YouTube's counters did not move


def test_hour_by_hour_increments_match_the_world(collector, sim, warehouse):
    model = Model(sim.world)
    for h in COLLECTED:
        seen = at(7) if h == FROZEN else at(h)
        summary = collector.ok(at(h), seen)
        model.collect(at(h), seen)
        assert summary["received"] == summary["loaded"] + summary["quarantined"]
        assert summary["quarantined"] == 0
        assert summary["loaded"] == sum(1 for (_, hh) in model.snapshots if hh == at(h))

    assert snapshots(warehouse) == model.snapshots
    assert facts(warehouse) == model.facts
    assert latest(warehouse) == expected_latest(history_rows(warehouse))
    got = facts(warehouse)

    # zero increments are rows too: with frozen counters every collected video has a 0 row
    frozen = {k: v for k, v in got.items() if k[1] == at(FROZEN - 1)}
    assert len(frozen) == sum(1 for (_, hh) in model.snapshots if hh == at(FROZEN))
    assert set(frozen.values()) == {(0, 0, 0)}

    # a gap: the whole increment since the last snapshot lands in one hour; gap hours stay empty
    assert not [k for k in got if at(19) <= k[1] <= at(21)]
    old = video_index(sim, 0, 1)
    assert got[(old, at(22))][0] == (sim.world.counters(old, at(23))["views"]
                                     - sim.world.counters(old, at(19))["views"])

    # spam correction: a negative increment is kept
    correction = next(c for c in sim.world.corrections if c.at == at(31))
    views = got[(correction.video_id, at(30))][0]
    assert views == (sim.world.counters(correction.video_id, at(31))["views"]
                     - sim.world.counters(correction.video_id, at(30))["views"])
    assert views < 0

    # likes hidden from hour 6 to 18: no likes increment, then a new baseline at 18
    hidden = video_index(sim, 1, 2)
    assert sim.world.counters(hidden, at(17))["likes"] is None
    assert sim.world.counters(hidden, at(18))["likes"] > 0
    assert [got[(hidden, at(h))][1] for h in range(5, 18)] == [0] * 13
    assert got[(hidden, at(18))][1] == (sim.world.counters(hidden, at(19))["likes"]
                                        - sim.world.counters(hidden, at(18))["likes"])
    # comments disabled: never an increment, the views still count
    disabled = video_index(sim, 1, 0)
    assert {got[(disabled, at(h))][2] for h in range(0, 19)} == {0}

    # published after the previous uploads sync: its whole count is its first increment
    late = video_index(sim, 0, 4)
    assert sim.world.video(late).published_at == at(5) + timedelta(minutes=17)
    assert got[(late, at(5))] == (sim.world.counters(late, at(6))["views"],
                                  sim.world.counters(late, at(6))["likes"] or 0,
                                  sim.world.counters(late, at(6))["comments"] or 0)
    assert got[(late, at(5))][0] > 0
    later = video_index(sim, 1, 4)  # published at 28:03, found by the sync at hour 30
    assert got[(later, at(29))][0] == sim.world.counters(later, at(30))["views"] > 0
    assert (later, at(28)) not in got
    # ...while a video already there at the first sync starts with a baseline (no row)
    assert not [k for k in got if k[1] == at(-1)]

    # a deleted video: marked unavailable, no longer expected
    deleted = video_index(sim, 1, 1)
    row = warehouse.execute("select is_available, unavailable_since from analytics.dim_video "
                            "where video_id = %s", (deleted,)).fetchone()
    assert row == (False, at(26))
    assert (deleted, at(24)) in got and (deleted, at(25)) not in got
    assert not [k for k in snapshots(warehouse) if k[0] == deleted and k[1] >= at(26)]

    # the hourly collector wrote only its columns
    daily = warehouse.execute(
        "select count(*) from analytics.fact_video_performance where dislikes <> 0 or shares <> 0 "
        "or watch_time_minutes <> 0 or estimated_revenue_cents <> 0 or cost_cents <> 0").fetchone()
    assert daily == (0,)


def test_catalog_is_kept_verbatim(collector, sim, warehouse):
    collector.ok(at(0))
    rows = dict(warehouse.execute("select video_id, title from analytics.dim_video").fetchall())
    tricky = video_index(sim, 0, 3)
    assert rows[tricky] == SQL_TITLE
    assert rows[video_index(sim, 2, 1)] == UNICODE_TITLE
    tags = warehouse.execute("select tags from analytics.dim_video where video_id = %s",
                             (tricky,)).fetchone()[0]
    assert tags == list(sim.world.video(tricky).tags) and SQL_TAG in tags
    tables = warehouse.execute("select count(*) from pg_tables where schemaname = 'analytics' "
                               "and tablename in ('dim_video', 'fact_video_performance')").fetchone()
    assert tables == (2,)
    for video in sim.world.uploads(sim.world.channels[0].id, at(0)):
        got = warehouse.execute(
            "select duration_seconds, publish_date, category_id, category, starts_from_zero, "
            "is_available from analytics.dim_video where video_id = %s", (video.id,)).fetchone()
        assert got == (video.duration_seconds, video.published_at, video.category_id,
                       VIDEO_CATEGORIES[video.category_id][0], False, True)
    channel = sim.world.channels[2]
    got = warehouse.execute(
        "select channel_name, channel_handle, subscriber_count, total_video_count, "
        "uploads_playlist_id, last_uploads_sync_at from analytics.dim_channel where channel_id = %s",
        (channel.id,)).fetchone()
    assert got == (channel.title, channel.handle, channel.subscriber_count,
                   len(sim.world.uploads(channel.id, at(0))), channel.uploads_playlist_id, at(0))


def test_rerunning_the_newest_hour_is_idempotent_and_replaces_it(collector, sim, warehouse):
    for h in range(0, 7):
        collector.ok(at(h))
    before = table_state(warehouse)
    collector.ok(at(6))  # same hour, unchanged counters
    assert table_state(warehouse) == before

    # observed again 20 minutes later: H's snapshot and increment are replaced
    collector.ok(at(6), at(6) + timedelta(minutes=20))
    video = video_index(sim, 2, 2)
    later = sim.world.counters(video, at(6) + timedelta(minutes=20))
    assert snapshots(warehouse)[(video, at(6))] == (later["views"], later["likes"], later["comments"])
    assert facts(warehouse)[(video, at(5))][0] == later["views"] - sim.world.counters(video, at(5))["views"]
    assert latest(warehouse) == expected_latest(history_rows(warehouse))
    count = warehouse.execute("select count(*) from analytics.video_stats_snapshot "
                              "where snapshot_hour = %s", (at(6),)).fetchone()[0]
    assert count == sum(len(sim.world.uploads(c.id, at(6))) for c in sim.world.channels)

    # the next hour's increment starts from the replaced snapshot
    collector.ok(at(7))
    assert facts(warehouse)[(video, at(6))][0] == (sim.world.counters(video, at(7))["views"]
                                                  - later["views"])
    assert latest(warehouse) == expected_latest(history_rows(warehouse))


def test_rerunning_an_older_hour_changes_nothing(collector, sim, warehouse, caplog):
    for h in range(0, 4):
        collector.ok(at(h))
    before = table_state(warehouse)
    calls = sim.calls
    with caplog.at_level(logging.WARNING, logger="ytempire.youtube.runner"):
        summary = collector.ok(at(2), at(4))
    assert table_state(warehouse) == before
    assert sim.calls == calls, "no API call for an hour that can no longer be observed"
    assert summary["loaded"] == 0 and summary["channels_loaded"] == 0
    assert sum("can no longer be observed again" in r.getMessage() for r in caplog.records) == 3


def test_retryable_faults_still_give_exact_numbers(collector, sim, warehouse, no_backoff,
                                                   monkeypatch):
    from ytempire import settings

    monkeypatch.setattr(settings, "CLIENT_RETRIES", 6)
    sim.configure_faults(seed=11, error_rate=0.2, error_statuses=(429, 503))
    model = Model(sim.world)
    for h in range(0, 8):
        collector.ok(at(h))
        model.collect(at(h))
    statuses = [c["status"] for c in sim.call_log]
    assert statuses.count(429) + statuses.count(503) >= 5, "the faults really happened"
    assert snapshots(warehouse) == model.snapshots
    assert facts(warehouse) == model.facts


@pytest.fixture
def big_sim():
    with run_simulator(seed=7, channels=3, videos_per_channel=60, clock=START) as s:
        yield s


def test_quota_exceeded_stops_the_run_and_writes_no_half_channel(big_sim, warehouse,
                                                                   warehouse_connection, monkeypatch):
    from airflow.sdk.exceptions import AirflowFailException

    register_channels(warehouse, big_sim, monkeypatch)
    collector = Collector(big_sim, warehouse, batch_size=3)
    collector.ok(at(0))
    before = table_state(warehouse)
    big_sim.reset_calls()
    big_sim.configure_faults(quota_after=1)  # the first channel's second videos.list fails
    summary, errors = collector.run(at(1))
    assert len(errors) == 1 and isinstance(errors[0], AirflowFailException)
    message = str(errors[0])
    first = sorted(c.id for c in big_sim.world.channels)[0]
    assert "quotaExceeded" in message and first in message and "2 channel(s)" in message
    assert big_sim.calls.get("videos") == 2, "stopped at once: no call for the other channels"
    assert table_state(warehouse) == before, "nothing of the hour is written"


def test_a_channel_that_cannot_be_written_whole_fails_alone(collector, sim, warehouse):
    """The mapped task's channels share one COPY and one merge, yet each is all or
    nothing: a channel one of whose videos got a snapshot later than the hour while it
    was being collected (a newer run, simulated here) is taken out before the merge and
    fails; the other channels of the batch load in full."""
    from dataclasses import replace

    from airflow.sdk.exceptions import AirflowFailException

    collector.ok(at(0))
    victim = sorted(c.id for c in sim.world.channels)[1]
    collected = hourly.load(at(1))

    def fetch_then_a_newer_run(conn, client, channel):
        yield from collected.fetch(conn, client, channel)
        if channel.channel_id == victim:
            conn.execute(
                "insert into analytics.video_stats_snapshot"
                " (video_id, channel_id, snapshot_hour, view_count)"
                " select video_id, channel_id, %s, 0 from analytics.dim_video"
                " where channel_id = %s order by video_id limit 1", (at(2), victim))

    model = Model(sim.world)
    model.collect(at(0))
    model.collect(at(1))
    sim.set_clock(at(1))
    run = TaskRun(f"{hourly.DAG_ID}.collect_hourly_counters", "test__refused")
    summary, errors = run_load(warehouse, replace(collected, fetch=fetch_then_a_newer_run),
                               at(1), run, batch_size=3)
    assert len(errors) == 1 and isinstance(errors[0], AirflowFailException)
    assert victim in str(errors[0]) and "later than" in str(errors[0])
    channel_of = {v.id: c.id for c in sim.world.channels for v in sim.world.uploads(c.id, at(1))}
    got = snapshots(warehouse)
    assert {channel_of[v] for v, h in got if h == at(1)} == {
        c.id for c in sim.world.channels} - {victim}, "the others' hour is written"
    assert {k: v for k, v in got.items() if k[1] == at(1)} == {
        k: v for k, v in model.snapshots.items() if k[1] == at(1) and channel_of[k[0]] != victim}
    assert {k: v for k, v in facts(warehouse).items() if k[1] == at(0)} == {
        k: v for k, v in model.facts.items() if k[1] == at(0) and channel_of[k[0]] != victim}
    assert (summary["channels"], summary["channels_loaded"], summary["channels_failed"]) == (
        3, 2, 1)


def test_invalid_grant_marks_the_channel_others_load_and_the_mark_clears(collector, sim,
                                                                          warehouse):
    from airflow.sdk.exceptions import AirflowFailException

    model = Model(sim.world)
    collector.ok(at(0), batch_size=3)
    model.collect(at(0))
    dead = sim.world.channels[1]
    sim.configure_faults(invalid_grant={dead.id})

    summary, errors = collector.run(at(1), batch_size=3)
    assert len(errors) == 1 and isinstance(errors[0], AirflowFailException)
    assert dead.id in str(errors[0]) and "invalid_grant" in str(errors[0])
    assert f"re-authorise channel {dead.id}" in str(errors[0])
    mark = warehouse.execute("select status, metadata -> 'needs_reauthorisation' "
                             "from analytics.dim_channel where channel_id = %s", (dead.id,)).fetchone()
    assert mark[0] == "active" and mark[1]["since"] == at(1).isoformat()
    alive = {v.id for c in sim.world.channels if c.id != dead.id
             for v in sim.world.uploads(c.id, at(1))}
    loaded = {v for (v, h) in snapshots(warehouse) if h == at(1)}
    assert loaded == alive

    # still dead an hour later: logged, not alerted again; the mark keeps its first hour
    collector.ok(at(2), batch_size=3)
    mark = warehouse.execute("select metadata -> 'needs_reauthorisation' -> 'since' "
                             "from analytics.dim_channel where channel_id = %s", (dead.id,)).fetchone()
    assert mark[0] == at(1).isoformat()

    # re-authorised: it loads again (the whole gap in one hour) and the mark is gone
    sim.clear_faults()
    collector.ok(at(3), batch_size=3)
    mark = warehouse.execute("select metadata ? 'needs_reauthorisation' from analytics.dim_channel "
                             "where channel_id = %s", (dead.id,)).fetchone()
    assert mark == (False,)
    video = sim.world.uploads(dead.id, at(3))[-1].id
    assert facts(warehouse)[(video, at(2))][0] == (sim.world.counters(video, at(3))["views"]
                                                  - sim.world.counters(video, at(0))["views"])
    assert not [k for k in facts(warehouse) if k[0] == video and k[1] in (at(0), at(1))]


def test_retryable_and_configuration_failures(collector, sim, warehouse, no_backoff):
    """A channel still failing after the client's retries lets Airflow retry the task; a
    channel without a usable connection fails it for good; the others load either way."""
    from airflow.sdk.exceptions import AirflowException, AirflowFailException

    from ytempire import settings

    collector.ok(at(0), batch_size=3)
    first = sorted(c.id for c in sim.world.channels)[0]
    sim.configure_faults(fail_next=settings.CLIENT_RETRIES + 1, fail_status=503)
    summary, errors = collector.run(at(1), batch_size=3)
    assert len(errors) == 1 and type(errors[0]) is AirflowException
    assert first in str(errors[0]) and "backendError" in str(errors[0])
    loaded = {v for (v, h) in snapshots(warehouse) if h == at(1)}
    assert loaded == {v.id for c in sim.world.channels if c.id != first
                      for v in sim.world.uploads(c.id, at(1))}

    broken = sim.world.channels[2].id
    warehouse.execute("update analytics.dim_channel set metadata = metadata || "
                      "'{\"youtube_conn_id\": \"no_such_connection\"}' where channel_id = %s",
                      (broken,))
    summary, errors = collector.run(at(2), batch_size=3)
    assert len(errors) == 1 and isinstance(errors[0], AirflowFailException)
    assert broken in str(errors[0]) and "no_such_connection" in str(errors[0])
    assert len({v for (v, h) in snapshots(warehouse) if h == at(2)}) == sum(
        len(sim.world.uploads(c.id, at(2))) for c in sim.world.channels if c.id != broken)


def corrupt_statistics(monkeypatch, sim, corruptions: dict[str, dict], extra: list[dict]):
    """videos.list(part=statistics) answers with some items corrupted (test-side fault)."""
    from ytempire_dev.simulator import server

    original = server.DATA_API["videos"]

    def videos_list(world, params, token_channel):
        answer = original(world, params, token_channel)
        if params.get("part") != "statistics":
            return answer
        items = []
        for item in answer.get("items", []):
            change = corruptions.get(item["id"])
            if change == "duplicate":
                items += [item, json.loads(json.dumps(item))]
            elif change == "no_statistics":
                items.append({k: v for k, v in item.items() if k != "statistics"})
            elif change:
                items.append({**item, "statistics": {**item["statistics"], **change}})
            else:
                items.append(item)
        asked = params["id"].split(",")
        items += [{k: v for k, v in e.items() if k != "_with"} for e in extra if e["_with"] in asked]
        answer["items"] = items
        return answer

    monkeypatch.setitem(server.DATA_API, "videos", videos_list)


def test_malformed_rows_are_quarantined_and_counts_balance(collector, sim, warehouse,
                                                          monkeypatch):
    collector.ok(at(0))
    ch0 = [v.id for v in sim.world.uploads(sim.world.channels[0].id, at(1))]
    ch2 = [v.id for v in sim.world.uploads(sim.world.channels[2].id, at(1))]
    bad = {ch0[0]: {"viewCount": "n/a"}, ch0[1]: {"likeCount": "-3"}, ch2[0]: "duplicate",
           ch2[1]: "no_statistics"}
    unknown = {"kind": "youtube#video", "id": UNKNOWN_VIDEO_ID, "statistics": {"viewCount": "5"}}
    corrupt_statistics(monkeypatch, sim, bad, [{**unknown, "_with": ch0[0]}])

    summary = collector.ok(at(1))
    expected_received = sum(len(sim.world.uploads(c.id, at(1))) for c in sim.world.channels) + 2
    assert summary["received"] == expected_received
    assert summary["quarantined"] == 5
    assert summary["received"] == summary["loaded"] + summary["quarantined"]
    assert summary["loaded"] == warehouse.execute(
        "select count(*) from analytics.video_stats_snapshot where snapshot_hour = %s",
        (at(1),)).fetchone()[0]

    rows = warehouse.execute(
        "select source, channel_id, video_id, reason, payload from analytics.load_quarantine "
        "order by video_id, reason").fetchall()
    by_video = {}
    for source, channel_id, video_id, reason, payload in rows:
        assert source == "youtube_video_stats_hourly"
        assert payload["snapshot_hour"] == at(1).isoformat()
        by_video.setdefault(video_id, []).append((channel_id, reason, payload["item"]))
    assert by_video[ch0[0]][0][1].startswith("non-numeric counter viewCount")
    assert by_video[ch0[0]][0][2]["statistics"]["viewCount"] == "n/a"
    assert by_video[ch0[1]][0][1].startswith("negative lifetime count likeCount=-3")
    assert by_video[ch2[0]][0][1].startswith("duplicate video id")
    assert by_video[ch2[1]][0][1] == "item without statistics"
    assert by_video[UNKNOWN_VIDEO_ID][0][1].startswith("unknown video id")
    assert by_video[UNKNOWN_VIDEO_ID][0][0] == sim.world.channels[0].id
    # a quarantined video is still available: only a video not answered at all is gone
    flags = dict(warehouse.execute("select video_id, is_available from analytics.dim_video").fetchall())
    assert flags[ch0[0]] and flags[ch2[1]]
    # the duplicated video is loaded once, from its first item
    assert (ch2[0], at(1)) in snapshots(warehouse)

    # re-running the hour replaces what it quarantined (no duplicates)
    before = table_state(warehouse)
    collector.ok(at(1))
    assert table_state(warehouse) == before


def test_uploads_sync_runs_every_six_hours_and_quota_arithmetic_holds(big_sim, warehouse,
                                                                       warehouse_connection,
                                                                       monkeypatch):
    register_channels(warehouse, big_sim, monkeypatch)
    collector = Collector(big_sim, warehouse, batch_size=3)
    world = big_sim.world
    used = {}
    for h in range(0, 7):
        big_sim.reset_calls()
        summary = collector.ok(at(h))
        used[h] = big_sim.quota_used
        assert summary["channels_synced"] == (3 if h in (0, 6) else 0)
        list_calls = sum(v for k, v in summary["api_calls"].items() if k.endswith(".list"))
        assert list_calls == used[h], "the run logs exactly the units it spent"
        # every request counted per endpoint, as the simulator counted what it answered
        assert summary["api_calls"] == {
            f"{endpoint}.list": n for endpoint, n in big_sim.calls.items() if n and endpoint != "token"}

    def videos(hour):
        return [len(world.uploads(c.id, at(hour))) for c in world.channels]

    # an hour without sync: ceil(videos / 50) units per channel
    assert used[3] == sum(math.ceil(n / 50) for n in videos(3)) == hourly_fetch.units_per_hour(videos(3))
    # the first hour: the sync (channels.list + uploads pages + videos.list over the uploads,
    # plus one videoCategories.list for each channel that meets category ids not yet cached)
    # and the counters
    cached: set = set()
    category_calls = 0
    for channel in sorted(world.channels, key=lambda c: c.id):
        ids = {v.category_id for v in world.uploads(channel.id, at(0))}
        category_calls += bool(ids - cached)
        cached |= ids
    assert 0 < category_calls <= len(world.channels)
    assert used[0] == sum(1 + math.ceil(n / 50) + math.ceil(n / 50) for n in videos(0)) + sum(
        math.ceil(n / 50) for n in videos(0)) + category_calls
    assert used[0] == (hourly_fetch.units_per_sync(videos(0)) + hourly_fetch.units_per_hour(videos(0))
                       + category_calls)


def test_dag_runs_end_to_end(airflow_db, collector, sim, warehouse, db_path):
    import pendulum
    from airflow.dag_processing.dagbag import DagBag
    from airflow.utils.state import DagRunState, TaskInstanceState

    from ytempire.settings import REPO_ROOT

    bag = DagBag(dag_folder=str(REPO_ROOT / "dags" / "youtube_video_stats_hourly.py"))
    assert bag.import_errors == {}
    dag = bag.dags["youtube_video_stats_hourly"]
    model = Model(sim.world)
    for h in (0, 1):
        sim.set_clock(at(h))
        run = dag.test(logical_date=pendulum.instance(at(h)))
        assert run.state == DagRunState.SUCCESS
        model.collect(at(h))
        states = {ti.task_id: ti.state for ti in run.get_task_instances()}
        assert set(states.values()) == {TaskInstanceState.SUCCESS}
        assert set(states) == {"ensure_fact_partitions", "plan_channel_batches",
                               "collect_hourly_counters", "summarize_hourly_collection"}
    assert snapshots(warehouse) == model.snapshots
    assert facts(warehouse) == model.facts
    if db_path == "plain":  # the hour's month has its partition: nothing in DEFAULT
        partition = warehouse.execute(
            "select to_regclass('analytics.fact_video_performance_2026_11')").fetchone()[0]
        assert partition is not None
        default_rows = warehouse.execute(
            "select count(*) from analytics.fact_video_performance_default").fetchone()[0]
        assert default_rows == 0
    steps = warehouse.execute(
        "select count(*), bool_and(success) from analytics.query_performance_log "
        "where kind = 'step' and query_name like 'youtube_video_stats_hourly.%'").fetchone()
    # ensure_fact_partitions per run; hour 0: a sync per channel and one load of the
    # mapped task's three channels together; hour 1: that one load
    assert steps == (2 + 3 + 1 + 1, True)

    # the same logical hour again, counters unchanged: every table identical
    before = table_state(warehouse)
    again = dag.test(logical_date=pendulum.instance(at(1)))
    assert again.state == DagRunState.SUCCESS
    assert table_state(warehouse) == before

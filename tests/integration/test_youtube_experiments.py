"""`youtube_experiments` against the simulator (videos.update, thumbnails.set, reach with a
known true effect per variant) and a real PostgreSQL. Expected figures come from the
simulator's world and from oracles written here (an exhaustive sign-flip enumeration),
never from the framework."""

from __future__ import annotations

import itertools
import json
import math
import multiprocessing
import time
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from revenue_expect import load_dag, registered, task_states

from ytempire.experiments import design
from ytempire.experiments.switch import Switcher
from ytempire_dev.simulator import run_simulator
from ytempire_dev.simulator.dataapi import live_snippet
from ytempire_dev.simulator.reporting import report_rows
from ytempire_dev.slack_receiver import run_receiver

DAG_ID = "youtube_experiments"
START = datetime(2026, 11, 20, 8, tzinfo=UTC)  # midnight Pacific (PST)
DAY = timedelta(days=1)
CHALLENGER = "The one title that wins (2026)"


@pytest.fixture(scope="module")
def dag(airflow_db):
    return load_dag(DAG_ID)


@pytest.fixture
def sim():
    with run_simulator(seed=7, channels=2, videos_per_channel=5, clock=START) as s:
        yield s


@pytest.fixture
def slack(tmp_path, monkeypatch):
    with run_receiver(tmp_path / "slack.jsonl") as receiver:
        monkeypatch.setenv("AIRFLOW_CONN_SLACK_ALERTS", json.dumps(
            {"conn_type": "slackwebhook", "password": receiver.url}))
        yield receiver


@pytest.fixture
def wh(warehouse_connection, sim, slack, monkeypatch):
    with registered(warehouse_connection, sim, monkeypatch) as conn:
        for v in sim.world.videos:
            conn.execute("insert into analytics.dim_video (video_id, channel_id, title, "
                         "is_available) values (%s, %s, %s, %s)",
                         (v.id, v.channel_id, v.title, v.available_at(START)))
        yield conn


def land_reach(conn, world, channel_id: str, days) -> None:
    """yt_reach_daily as the reach DAG would land it, from the world's reports."""
    for day in days:
        conn.execute("delete from analytics.yt_reach_daily where channel_id = %s and day = %s",
                     (channel_id, day))
        for _, _, video, impressions, ctr in report_rows(world, channel_id, day):
            conn.execute("insert into analytics.yt_reach_daily (video_id, day, channel_id, "
                         "impressions, ctr, report_id, report_created_at) values "
                         "(%s, %s, %s, %s, %s, 'r', now())",
                         (video, day, channel_id, impressions, ctr))
        conn.execute("insert into analytics.youtube_reporting_report (report_id, channel_id, "
                      "job_id, day, report_created_at, rows_received, rows_loaded, "
                      "rows_quarantined) values (%s, %s, 'j', %s, now(), 0, 0, 0)",
                      (f"{channel_id}-{day}", channel_id, day))


def pick_video(world):
    """The test video: tags, a description, and the most impressions before START."""
    candidates = [v for v in world.videos_of(world.channels[0].id)
                  if v.tags and v.available_at(START) and v.published_at < START - 30 * DAY]
    day = START.date() - 3 * DAY
    return max(candidates, key=lambda v: world.reach(v.id, day).impressions)


def register(conn, video, kind="title", blocks=12, mde=0.3, seed=5, **extra) -> int:
    row = {"video_id": video.id, "kind": kind, "metric": "ctr", "block_hours": 24,
           "blocks": blocks, "warmup_hours": 0, "min_detectable_effect": mde, "seed": seed,
           **extra}
    cols = ", ".join(row)
    marks = ", ".join(["%s"] * len(row))
    eid = conn.execute(f"insert into analytics.experiment ({cols}) values ({marks}) "  # noqa: S608
                       "returning experiment_id", list(row.values())).fetchone()[0]
    conn.execute("insert into analytics.experiment_variant (experiment_id, variant, title) "
                 "values (%s, 1, %s)", (eid, CHALLENGER))
    return eid


def run_dag(dag, sim, at: datetime):
    import pendulum

    sim.set_clock(at)
    return dag.test(logical_date=pendulum.instance(at))


def switch(sim, wh, at: datetime, run_id: str):
    sim.set_clock(at)
    return Switcher(wh, run_id).run()


def exposures(conn, eid):
    return conn.execute("select variant, started_at, ended_at, applied_by_run from "
                        "analytics.experiment_exposure where experiment_id = %s "
                        "order by started_at", (eid,)).fetchall()


def blocks_of(conn, eid):
    return conn.execute("select block_index, pair_index, variant, starts_at, ends_at from "
                        "analytics.experiment_block where experiment_id = %s order by 1",
                        (eid,)).fetchall()


def exact_sign_flip_p(diffs) -> float:
    """Oracle: two-sided p of the mean over every sign pattern."""
    observed = abs(sum(diffs)) / len(diffs)
    stats = [abs(sum(s * d for s, d in zip(signs, diffs, strict=True))) / len(diffs)
             for signs in itertools.product((1, -1), repeat=len(diffs))]
    return sum(s >= observed - 1e-12 for s in stats) / len(stats)


def test_title_experiment_end_to_end(dag, sim, wh, slack):
    world = sim.world
    video = pick_video(world)
    channel = world.channels[0].id
    land_reach(wh, world, channel, [START.date() - i * DAY for i in range(3, 31)])
    world.edits.set_true_effect(video.id, 1.6, title=CHALLENGER)
    eid = register(wh, video)

    first = run_dag(dag, sim, START)
    assert all(s == "success" for s in task_states(first).values()), task_states(first)
    status, seed, power = wh.execute("select status, seed, predicted_power from "
                                     "analytics.experiment where experiment_id = %s",
                                     (eid,)).fetchone()
    assert status == "running" and seed == 5 and float(power) >= 0.8
    assert wh.execute("select title from analytics.experiment_variant where experiment_id = %s "
                      "and variant = 0", (eid,)).fetchone()[0] == video.title
    blocks = blocks_of(wh, eid)
    assert [b[3] for b in blocks] == [START + i * DAY for i in range(12)]
    for pair in range(6):  # each pair: both variants, in a drawn order
        assert sorted(b[2] for b in blocks if b[1] == pair) == [0, 1]
    order = [b[2] for b in blocks]
    assert order != [0, 1] * 6 and order != [1, 0] * 6  # not a fixed alternation

    for i in range(1, 13):
        if i == order.index(1) + 1:
            # the first title switch kept every other snippet field
            live = live_snippet(world, world.video(video.id))
            assert live["title"] == CHALLENGER
            assert live["description"] == video.description
            assert live["tags"] == list(video.tags) and live["categoryId"] == video.category_id
        switch(sim, wh, START + i * DAY, f"run-{i}")

    # every block's variant went live at its start, one update per change of variant
    expected = [(v, START + i * DAY) for i, v in enumerate(order)
                if i == 0 or order[i - 1] != v]
    if order[-1] == 1:
        expected.append((0, START + 12 * DAY))  # the original after the last block
    assert [(v, s) for v, s, _, _ in exposures(wh, eid)] == expected
    updates = sum(1 for e in sim.call_log if e["path"] == "/youtube/v3/videos"
                  and e["method"] == "PUT")
    assert updates == len(expected) - (order[0] == 0)

    # the reach of the experiment's days comes in; the next run concludes and applies
    land_reach(wh, world, channel, [START.date() + i * DAY for i in range(12)])
    final = run_dag(dag, sim, START + 15 * DAY)
    assert all(s == "success" for s in task_states(final).values()), task_states(final)

    def log_ctr(day):
        row = next(r for r in report_rows(world, channel, day) if r[2] == video.id)
        return math.log(float(row[4]))

    diffs = []
    for pair in range(6):
        by_variant = {b[2]: log_ctr(b[3].astimezone(design.YOUTUBE_ZONE).date())
                      for b in blocks if b[1] == pair}
        diffs.append(by_variant[1] - by_variant[0])
    effect, p = math.expm1(sum(diffs) / 6), exact_sign_flip_p(diffs)
    assert p < 0.05  # the true effect (+60 %) is found
    got = wh.execute("select effect, ci_low, ci_high, p_value, winner_variant, blocks_used "
                     "from analytics.experiment_result where experiment_id = %s and final",
                     (eid,)).fetchone()
    assert float(got[0]) == pytest.approx(effect, rel=1e-9)
    assert float(got[3]) == pytest.approx(p, abs=1e-12)
    assert float(got[1]) < effect < float(got[2]) and got[4] == 1 and got[5] == 12
    assert wh.execute("select status, settled_at from analytics.experiment where "
                      "experiment_id = %s", (eid,)).fetchone()[0] == "concluded"
    assert exposures(wh, eid)[-1][:2] == (1, START + 15 * DAY)  # the winner is live
    assert live_snippet(world, world.video(video.id))["title"] == CHALLENGER
    texts = [m["text"] for m in slack.messages()]
    assert len(texts) == 1 and f"Experiment {eid}" in texts[0] and "winner: variant 1" in texts[0]
    run_dag(dag, sim, START + 15 * DAY + timedelta(hours=1))
    assert len(slack.messages()) == 1  # announced once


def test_refusals_say_why(dag, sim, wh):
    world = sim.world
    video = pick_video(world)
    land_reach(wh, world, world.channels[0].id,
               [START.date() - i * DAY for i in range(3, 31)])
    weak = register(wh, video, mde=0.01)
    bad_block = register(wh, video, blocks=12, block_hours=6)
    other = next(v for v in world.videos_of(world.channels[1].id) if v.available_at(START))
    no_data = register(wh, other)  # no reach landed for the second channel
    run_dag(dag, sim, START)
    reasons = dict(wh.execute("select experiment_id, status_reason from analytics.experiment "
                              "where status = 'refused'").fetchall())
    assert "under-powered" in reasons[weak] and "it would need" in reasons[weak]
    assert "days" in reasons[weak]
    assert "per 24 hour(s)" in reasons[bad_block] and "Pacific day" in reasons[bad_block]
    assert "too little pre-period data" in reasons[no_data] and "0 days" in reasons[no_data]
    # a second experiment on a video under test
    again = register(wh, video)
    second = register(wh, video, seed=9)
    run_dag(dag, sim, START + timedelta(hours=1))
    statuses = dict(wh.execute("select experiment_id, status from analytics.experiment"
                               ).fetchall())
    assert statuses[again] == "running" and statuses[second] == "refused"
    assert f"already under test in experiment {again}" in wh.execute(
        "select status_reason from analytics.experiment where experiment_id = %s",
        (second,)).fetchone()[0]


def _switch_in_child(dsn: str, run_id: str) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        Switcher(conn, run_id).run()


def started_experiment(dag, sim, wh, first_variant: int) -> tuple[int, object]:
    """A running experiment whose first block shows `first_variant` (seed chosen so)."""
    from ytempire.experiments.stats import assignment

    world = sim.world
    video = pick_video(world)
    land_reach(wh, world, world.channels[0].id,
               [START.date() - i * DAY for i in range(3, 31)])
    seed = next(s for s in range(100) if assignment(6, s)[0] == first_variant)
    eid = register(wh, video, seed=seed, starts_at=START + DAY)
    sim.set_clock(START)
    run_dag(dag, sim, START)
    return eid, video


def test_killed_run_is_repaired_without_double_switch_or_lost_exposure(
        dag, sim, wh, warehouse_connection):
    eid, video = started_experiment(dag, sim, wh, first_variant=1)
    boundary = START + DAY
    sim.set_clock(boundary)
    sim.configure_faults(hang_after_write_seconds=30)
    child = multiprocessing.get_context("fork").Process(
        target=_switch_in_child, args=(warehouse_connection, "killed-run"))
    child.start()
    deadline = time.monotonic() + 30
    while not sim.world.edits.history(video.id) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sim.world.edits.history(video.id), "the update never reached YouTube"
    # the child is inside the call (YouTube has not answered): no warehouse session of it
    # has a transaction open, so it holds no row or table lock while it waits
    assert wh.execute(
        "select count(*) from pg_stat_activity where datname = current_database() "
        "and backend_type = 'client backend' and pid <> pg_backend_pid() "
        "and xact_start is not null").fetchone()[0] == 0
    assert wh.execute(
        "select count(*) from pg_locks as l join pg_stat_activity as a using (pid) "
        "where a.datname = current_database() and l.pid <> pg_backend_pid() "
        "and l.locktype in ('relation', 'tuple', 'transactionid')").fetchone()[0] == 0
    child.kill()
    child.join()
    sim.clear_faults()
    journal = wh.execute("select state, requested_at from analytics.experiment_switch "
                         "where experiment_id = %s", (eid,)).fetchall()
    assert journal == [("intended", boundary)] and exposures(wh, eid) == []

    sim.set_clock(boundary + timedelta(hours=1))
    Switcher(wh, "next-run").run()
    assert [h[1:] for h in sim.world.edits.history(video.id)] == [("title", CHALLENGER)]
    assert wh.execute("select state from analytics.experiment_switch where experiment_id = %s",
                      (eid,)).fetchall() == [("applied",)]
    assert exposures(wh, eid) == [(1, boundary, None, "killed-run")]
    Switcher(wh, "third-run").run()  # nothing more to do
    assert len(sim.world.edits.history(video.id)) == 1 and len(exposures(wh, eid)) == 1


def test_unanswered_switch_that_never_happened_is_made_once(dag, sim, wh):
    eid, video = started_experiment(dag, sim, wh, first_variant=1)
    boundary = START + DAY
    sim.set_clock(boundary)
    sim.configure_faults(fail_status=503, error_endpoints=["videos.update"], fail_next=10)
    outcome = Switcher(wh, "failing-run").run()
    assert outcome[0].error is not None and outcome[0].error.retryable
    assert exposures(wh, eid) == [] and sim.world.edits.history(video.id) == []
    sim.clear_faults()
    later = boundary + timedelta(hours=1)
    sim.set_clock(later)
    Switcher(wh, "next-run").run()
    states = wh.execute("select state from analytics.experiment_switch where experiment_id = %s "
                        "order by switch_id", (eid,)).fetchall()
    assert states == [("not_applied",), ("applied",)]
    assert exposures(wh, eid) == [(1, later, None, "next-run")]
    assert len(sim.world.edits.history(video.id)) == 1


def test_quota_exhaustion_pauses_cleanly_and_resumes(dag, sim, wh, monkeypatch):
    from ytempire import settings

    eid, video = started_experiment(dag, sim, wh, first_variant=1)
    boundary = START + DAY
    # our own budget: no switch left today
    monkeypatch.setattr(settings, "EXPERIMENT_SWITCHES_PER_DAY", 0)
    switch(sim, wh, boundary, "no-budget")
    status, paused_for, reason = wh.execute(
        "select status, paused_for, status_reason from analytics.experiment "
        "where experiment_id = %s", (eid,)).fetchone()
    assert (status, paused_for) == ("paused", "quota") and "switch budget spent" in reason
    assert wh.execute("select count(*) from analytics.experiment_switch").fetchone()[0] == 0
    assert exposures(wh, eid) == [] and sim.world.edits.history(video.id) == []

    # YouTube's own quota: quotaExceeded on the write
    monkeypatch.setattr(settings, "EXPERIMENT_SWITCHES_PER_DAY", 200)
    sim.configure_faults(quota_after=1 + 49)  # from now: the read passes, the write does not
    switch(sim, wh, boundary + timedelta(hours=1), "youtube-quota")
    assert wh.execute("select status, paused_for from analytics.experiment "
                      "where experiment_id = %s", (eid,)).fetchone() == ("paused", "quota")
    assert wh.execute("select state from analytics.experiment_switch").fetchall() == [
        ("not_applied",)]
    assert exposures(wh, eid) == [] and sim.world.edits.history(video.id) == []

    # units are back: it resumes and switches once
    sim.clear_faults()
    later = boundary + timedelta(hours=2)
    switch(sim, wh, later, "resumed")
    assert wh.execute("select status from analytics.experiment where experiment_id = %s",
                      (eid,)).fetchone() == ("running",)
    assert exposures(wh, eid) == [(1, later, None, "resumed")]
    # the first block's variant went live 2 hours late: that block is left out
    switch(sim, wh, START + 13 * DAY, "end")
    from ytempire.experiments import analysis
    from ytempire.experiments.registry import experiments

    e = experiments(wh, "running")[0]
    blocks = analysis.outcomes(analysis.block_data(wh, e), "ctr")
    assert blocks[0]["note"] == "variant not live over the analysed window"

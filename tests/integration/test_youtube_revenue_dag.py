"""`youtube_revenue_attribution` run by Airflow (`dag.test`) against the YouTube
simulator and a real PostgreSQL. Expected figures come from the simulator's
world and the test's own rows, never from the loader."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import psycopg
import pytest
from revenue_expect import (
    PACIFIC,
    START,
    assert_invariant_4,
    cents,
    day_hours,
    expected_attribution,
    expected_video_daily,
    fact_hours,
    insert_costs,
    insert_hours,
    insert_partner,
    largest_remainder,
    loaded_attribution,
    loaded_video_daily,
    no_client_backoff,
    register_channels,
    registered,
    revenue_dag,
    run_dag,
    snapshot,
    task_states,
    xcom,
)

from ytempire_dev.simulator import MalformedRow, run_simulator
from ytempire_dev.simulator.faults import UNKNOWN_VIDEO_ID
from ytempire_dev.simulator.world import SQL_TAG, SQL_TITLE

NOV = date(2026, 11, 1)
LOAD_TASK = "load_channel_revenue"


def d(day: int, month: int = 11) -> date:
    return date(2026, month, day)


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def five_am(day: date) -> datetime:
    """The scheduled run time of warehouse day `day` (05:00 Pacific), in UTC."""
    return datetime(day.year, day.month, day.day, 5, tzinfo=PACIFIC).astimezone(UTC)


@pytest.fixture(scope="module")
def dag(airflow_db):
    return revenue_dag()


@pytest.fixture
def sim():
    with run_simulator(seed=7, channels=3, videos_per_channel=5, clock=START) as s:
        yield s


@pytest.fixture
def wh(warehouse_connection, sim, monkeypatch):
    """The warehouse with the simulator's channels registered; autocommit."""
    with registered(warehouse_connection, sim, monkeypatch) as conn:
        yield conn


def succeeded(run) -> bool:
    from airflow.utils.state import DagRunState

    return run.state == DagRunState.SUCCESS


def load_states(run) -> list[str]:
    return [str(state) for (task, _), state in sorted(task_states(run).items()) if task == LOAD_TASK]


# --- a daily run: figures, money, spreads, costs, partner revenue, re-run ----------------


def test_run_loads_exact_figures_attribution_and_spread_and_a_rerun_changes_nothing(
        dag, sim, wh):
    world = sim.world
    ch0, ch1, ch2 = world.channels
    assert (ch0.monetized, ch1.monetized, ch2.monetized) == (True, False, True)
    v = world.videos_of(ch0.id)
    d15 = d(15)
    hours = day_hours(d15)
    # the hourly collector's rows: views with a spam correction (negative hour), all-zero
    # views, and a video with only a few hours
    pattern = [(3 * i) % 17 - 2 for i in range(len(hours))]
    insert_hours(wh, v[0], [(h, views, i % 3, i % 2) for i, (h, views) in
                            enumerate(zip(hours, pattern, strict=True))])
    insert_hours(wh, v[1], [(h, 0, 0, 0) for h in hours])
    insert_hours(wh, v[2], [(hours[3], 5, 1, 0), (hours[4], 0, 0, 0), (hours[10], 7, 0, 1)])
    ch2_videos = [x for x in world.videos_of(ch2.id) if x.has_data_on(d15)]
    costs = [
        (v[0].id, ch0.id, d15, "ai_generation", 1234),
        (v[0].id, ch0.id, d15, "voice_synthesis", 101),
        (v[1].id, ch0.id, d(14), "api_calls", 7),
        (v[2].id, None, d15, "render_farm", 500),       # video known, no channel given
        (None, ch0.id, d15, "api_calls", 1001),         # channel-only: spread by views
        (None, ch2.id, d15, "hosting", 10),             # channel-only: no views, evenly
        (None, ch0.id, d(19), "ai_generation", 300),    # no fact row that day: unallocated
        (v[4].id, ch0.id, d15, "ai_generation", 250),   # not published yet: not in dim_video
    ]
    partner = [(v[0].id, d15, "sponsorship", 5000),
               (world.videos_of(ch1.id)[0].id, d(14), "affiliate", 321)]
    insert_costs(wh, costs)
    insert_partner(wh, partner)

    run = run_dag(dag, sim, START, {"start_date": "2026-11-12", "end_date": "2026-11-19"})
    assert succeeded(run), task_states(run)

    ready = days(d(12), d(17))  # the simulator's newest ready day at START is 11-17
    expected = expected_video_daily(world, world.channels, ready)
    assert loaded_video_daily(wh) == expected
    assert {r[0] for r in wh.execute("select distinct day from analytics.yt_video_daily")} == set(
        ready)

    # the channel totals, as sent
    channel_rows = {
        (c, day): (views, minutes, rev, ad) for c, day, views, minutes, rev, ad in wh.execute(
            "select channel_id, day, views, estimated_minutes_watched, estimated_revenue, "
            "estimated_ad_revenue from analytics.yt_channel_daily")}
    for channel in world.channels:
        for day in ready:
            total = world.channel_daily(channel.id, day)
            assert channel_rows[(channel.id, day)] == (
                total["views"], total["estimatedMinutesWatched"], total.get("estimatedRevenue"),
                total.get("estimatedAdRevenue"))

    # attribution: YouTube + partner revenue + mapped costs, channel costs by the day's
    # views (YouTube's: the fact views of a loaded day)
    fact_views = {key: f["views"] for key, f in expected.items() if key[1] == d15}
    assert {(v[0].id, d15), (v[1].id, d15), (v[2].id, d15)} <= set(fact_views)
    attribution = loaded_attribution(wh)
    assert attribution == expected_attribution(world, world.channels, ready, costs, partner,
                                               fact_views)
    # half-cent rounding on the decimal as sent: 2.675 -> 268, of which ad 0.125 -> 13
    forced = world.start.astimezone(PACIFIC).date() - timedelta(days=4)
    assert world.daily(v[0].id, forced)["estimatedRevenue"] == Decimal("2.675")
    assert attribution[(v[0].id, forced)][0] == 13 and attribution[(v[0].id, forced)][3] == 255
    assert attribution[(v[1].id, forced)][0] == 13 and attribution[(v[1].id, forced)][3] == 0
    # the unmonetised channel: no revenue, its other figures loaded
    for (vid, _day), row in attribution.items():
        if world.has_video(vid) and world.video(vid).channel_id == ch1.id:
            assert row[0] == row[3] == 0
    assert all("estimatedRevenue" not in f for (vid, _), f in expected.items()
               if world.video(vid).channel_id == ch1.id)
    # channel costs: 1001 over ch0's videos of the day, 10 over ch2's, by YouTube's views
    # (ties by video id)
    for channel, slot, amount in ((ch0, 5, 1001), (ch2, 6, 10)):
        carriers = sorted(x.id for x in world.videos_of(channel.id) if (x.id, d15) in expected)
        shares = largest_remainder(amount, [expected[(x, d15)]["views"] for x in carriers])
        assert [attribution[(x, d15)][slot]
                for x in carriers] == shares
    assert wh.execute("select channel_id, revenue_date, ai_cost_cents, api_cost_cents, "
                      "infrastructure_cost_cents, cost_rows from analytics.unallocated_cost"
                      ).fetchall() == [(ch0.id, d(19), 300, 0, 0, 1)]
    # every cost in cost_tracking is carried by exactly one place
    carried = wh.execute(
        "select (select sum(total_cost_cents) from analytics.revenue_attribution)"
        " + (select sum(total_cost_cents) from analytics.unallocated_cost)").fetchone()[0]
    assert carried == sum(c[4] for c in costs)

    # the spread: exact sums for every loaded video-day, exact hours where the test knows them
    assert assert_invariant_4(wh, world) == len(expected)
    rows = fact_hours(wh, v[0].id, d15)
    f0 = expected[(v[0].id, d15)]
    # views, likes and comments become YouTube's, shaped by the collector's increments
    assert [r[0] for r in rows] == hours
    final = largest_remainder(f0["views"], pattern)  # everything else follows these
    assert [r[1] for r in rows] == final
    assert [r[2] for r in rows] == largest_remainder(f0["likes"], final)
    assert [r[3] for r in rows] == largest_remainder(f0["comments"], final)
    total_cost = sum(attribution[(v[0].id, d15)][4:7])
    assert [r[4] for r in rows] == largest_remainder(f0["dislikes"], final)
    assert [r[5] for r in rows] == largest_remainder(f0["shares"], final)
    assert [r[6] * 100 for r in rows] == largest_remainder(f0["estimatedMinutesWatched"] * 100,
                                                           final)
    assert {r[7] for r in rows} == {f0["averageViewDuration"]}
    assert [r[8] for r in rows] == largest_remainder(cents(f0["estimatedRevenue"]), final)
    assert [r[9] for r in rows] == largest_remainder(total_cost, final)
    rows = fact_hours(wh, v[1].id, d15)  # no views at all: evenly
    assert [r[4] for r in rows] == largest_remainder(expected[(v[1].id, d15)]["dislikes"],
                                                     [0] * len(hours))
    # a reported video without hourly rows gets a daily row at the day's first hour
    bare = next(x for x in ch2_videos)
    fb = expected[(bare.id, d15)]
    assert [(r[0], r[1], r[2], r[3]) for r in fact_hours(wh, bare.id, d15)] == [
        (hours[0], fb["views"], fb["likes"], fb["comments"])]
    assert set(wh.execute("select daily_row from analytics.fact_video_performance "
                          "where video_id = %s", (bare.id,))) == {(True,)}
    # the unpublished video with a cost has no fact row (not in dim_video), only attribution
    assert fact_hours(wh, v[4].id, d15) == []
    assert attribution[(v[4].id, d15)] == (0, 0, 0, 0, 250, 0, 0)

    # titles and tags as sent, SQL included, and the tables it names are still there
    title, tags = wh.execute("select title, tags from analytics.dim_video where video_id = %s",
                             (v[3].id,)).fetchone()
    assert title == SQL_TITLE and SQL_TAG in tags
    assert wh.execute("select count(*) from analytics.fact_video_performance").fetchone()[0] > 0

    report = xcom(run, "report_revenue_load")
    assert report["received"] == report["loaded"] + report["quarantined"]
    assert report["quarantined"] == 0
    # every video row plus one channel row per channel and ready day
    assert report["received"] == len(expected) + len(world.channels) * len(ready)
    assert wh.execute("select count(*) from analytics.revenue_input_invalidation").fetchone()[0] == 0

    before = snapshot(wh)
    again = run_dag(dag, sim, START, {"start_date": "2026-11-12", "end_date": "2026-11-19"})
    assert succeeded(again), task_states(again)
    assert snapshot(wh) == before


# --- invariant 2: a backfill equals the daily runs over its range --------------------------


@pytest.fixture
def second_warehouse(pg_admin_dsn, template_dsn):
    """Another fresh deployed warehouse, for comparing two ways of loading."""
    import uuid

    from conftest import TEMPLATE_DB
    from psycopg import conninfo, sql

    name = f"ytempire_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_admin_dsn, autocommit=True) as admin:
        admin.execute(sql.SQL("create database {} template {}").format(
            sql.Identifier(name), sql.Identifier(TEMPLATE_DB)))
    yield conninfo.make_conninfo(pg_admin_dsn, dbname=name)
    with psycopg.connect(pg_admin_dsn, autocommit=True) as admin:
        admin.execute(sql.SQL("drop database {} with (force)").format(sql.Identifier(name)))


def in_range(snap: dict, first: date, last: date) -> dict:
    """The rows of a snapshot that belong to YouTube days first .. last."""
    start = datetime(first.year, first.month, first.day, tzinfo=PACIFIC)
    end = datetime(last.year, last.month, last.day, tzinfo=PACIFIC) + timedelta(days=1)

    def keep(row) -> bool:
        moments = [x for x in row if isinstance(x, (date, datetime))]
        if not moments:
            return True
        m = moments[0]
        return start <= m < end if isinstance(m, datetime) else first <= m <= last

    skip = {"load_quarantine", "revenue_input_invalidation"}
    return {name: [r for r in rows if keep(r)] for name, rows in snap.items() if name not in skip}


def test_backfill_of_30_days_equals_the_30_daily_runs(dag, sim, wh, second_warehouse, monkeypatch):
    from conftest import airflow_uri

    first, last = d(18, 10), d(16)  # 30 YouTube days, across the end of DST and a month
    world = sim.world
    ch0, ch1, ch2 = world.channels
    v0 = world.videos_of(ch0.id)[0]
    costs = [(v0.id, ch0.id, d(2), "ai_generation", 999), (None, ch2.id, d(5), "hosting", 101),
             (None, ch0.id, d(25, 10), "api_calls", 33)]
    partner = [(v0.id, d(3), "sponsorship", 1500)]
    insert_costs(wh, costs)
    insert_partner(wh, partner)

    runs = [first + timedelta(days=3 + i) for i in range(30)]  # P - 3 is the newest ready day
    for p in runs:
        run = run_dag(dag, sim, five_am(p))
        assert succeeded(run), (p, task_states(run))
    daily = in_range(snapshot(wh), first, last)
    # the run of 11-16 re-pulled the whole of October (month-end adjustment), 10-01 included
    assert wh.execute("select min(day) from analytics.yt_video_daily").fetchone()[0] == d(1, 10)

    monkeypatch.setenv("AIRFLOW_CONN_YTEMPIRE_WAREHOUSE", airflow_uri(second_warehouse))
    with psycopg.connect(second_warehouse, autocommit=True) as other:
        register_channels(other, sim, monkeypatch)
        insert_costs(other, costs)
        insert_partner(other, partner)
        backfill = run_dag(dag, sim, five_am(runs[-1]),
                           {"start_date": first.isoformat(), "end_date": last.isoformat()})
        assert succeeded(backfill), task_states(backfill)
        backfilled = in_range(snapshot(other), first, last)
        assert other.execute("select count(distinct day) from analytics.yt_video_daily"
                             ).fetchone()[0] == 30

    assert backfilled == daily
    assert len(daily["yt_video_daily"]) == len(expected_video_daily(world, world.channels,
                                                                    days(first, last)))


# --- failures -----------------------------------------------------------------------------


def test_a_fifth_of_calls_answered_429_or_503_still_loads_exactly(dag, sim, wh, monkeypatch):
    from ytempire import settings

    monkeypatch.setattr(settings, "CLIENT_RETRIES", 10)
    sim.configure_faults(seed=3, error_rate=0.2, error_statuses=(429, 503))
    run = run_dag(dag, sim, START, {"start_date": "2026-11-12", "end_date": "2026-11-19"})
    assert succeeded(run), task_states(run)
    statuses = {c["status"] for c in sim.call_log}
    assert {429, 503} <= statuses

    ready = days(d(12), d(17))
    expected = expected_video_daily(sim.world, sim.world.channels, ready)
    assert loaded_video_daily(wh) == expected
    assert loaded_attribution(wh) == expected_attribution(sim.world, sim.world.channels, ready)
    assert assert_invariant_4(wh) == len(expected)


def channel_days_whole_or_absent(conn, world, ready) -> set:
    """Asserts each (channel, day) is either fully loaded or not at all; returns the loaded ones."""
    expected = expected_video_daily(world, world.channels, ready)
    attribution = expected_attribution(world, world.channels, ready)
    video_rows = loaded_video_daily(conn)
    revenue_rows = loaded_attribution(conn)
    totals = {r for r in conn.execute("select channel_id, day from analytics.yt_channel_daily")}
    loaded = set()
    for channel in world.channels:
        for day in ready:
            keys = [k for k in expected if k[1] == day and world.video(k[0]).channel_id == channel.id]
            present = [k in video_rows for k in keys] + [(channel.id, day) in totals]
            assert len(set(present)) == 1, (channel.id, day, present)
            if present[0]:
                assert all(video_rows[k] == expected[k] for k in keys)
                assert all(revenue_rows[k] == attribution[k] for k in keys)
                loaded.add((channel.id, day))
            else:
                assert not any(k in revenue_rows for k in keys)
    assert assert_invariant_4(conn) == len(video_rows)
    return loaded


def test_quota_exceeded_fails_at_once_and_leaves_no_channel_day_half_written(dag, sim, wh,
                                                                             capfd):
    order = sorted(c.id for c in sim.world.channels)  # the order the task loads them in
    sim.configure_faults(quota_endpoints={"reports"}, quota_after=9)
    run = run_dag(dag, sim, START, {"start_date": "2026-11-12", "end_date": "2026-11-19"})
    assert not succeeded(run)
    assert load_states(run) == ["failed"]
    output = capfd.readouterr()
    assert (f"YouTube quota exhausted (quotaExceeded) while loading channel {order[1]}: "
            "stopped at once") in output.out + output.err
    # 7 report calls for the first channel, 2 for the second, then quotaExceeded: no more calls
    assert sim.calls["reports"] == 10

    loaded = channel_days_whole_or_absent(wh, sim.world, days(d(12), d(17)))
    assert loaded == {(order[0], day) for day in days(d(12), d(17))} | {(order[1], d(12))}


def test_invalid_grant_marks_the_channel_loads_the_others_and_fails_naming_it(
        dag, sim, wh, capfd):
    ch0, ch1, ch2 = sim.world.channels
    sim.configure_faults(invalid_grant={ch1.id})
    conf = {"start_date": "2026-11-12", "end_date": "2026-11-19"}
    run = run_dag(dag, sim, START, conf)
    assert not succeeded(run)
    assert load_states(run) == ["failed"]
    output = capfd.readouterr()
    assert f"channel {ch1.id}: re-authorise the channel (invalid_grant)" in output.out + output.err

    ready = days(d(12), d(17))
    loaded = channel_days_whole_or_absent(wh, sim.world, ready)
    assert loaded == {(c.id, day) for c in (ch0, ch2) for day in ready}
    metadata = dict(wh.execute("select channel_id, metadata from analytics.dim_channel"))
    assert "invalid_grant" in metadata[ch1.id]["needs_reauthorisation"]["reason"]
    assert "needs_reauthorisation" not in metadata[ch0.id]
    assert metadata[ch1.id]["youtube_conn_id"] == "youtube_1"

    # alerted once: while the mark stays and the token still fails, the channel is skipped
    quiet = run_dag(dag, sim, START, conf)
    assert succeeded(quiet), task_states(quiet)
    assert xcom(quiet, "report_revenue_load")["skipped_needs_reauthorisation"] == [ch1.id]

    # re-authorised: the mark goes and the channel loads
    sim.clear_faults()
    fixed = run_dag(dag, sim, START, conf)
    assert succeeded(fixed), task_states(fixed)
    metadata = dict(wh.execute("select channel_id, metadata from analytics.dim_channel"))
    assert "needs_reauthorisation" not in metadata[ch1.id]
    assert channel_days_whole_or_absent(wh, sim.world, ready) == {
        (c.id, day) for c in sim.world.channels for day in ready}


# --- bad input -----------------------------------------------------------------------------


def test_each_malformed_class_is_quarantined_with_a_reason_and_counts_balance(dag, sim, wh):
    world = sim.world
    ch0, ch1, ch2 = world.channels
    a, b, c = world.videos_of(ch0.id)[:3]
    e = world.videos_of(ch2.id)[1]
    f = world.videos_of(ch1.id)[0]
    bad = {
        "short": (a, d(13)), "negative": (b, d(13)), "string": (c, d(14)),
        "duplicate": (e, d(14)), "unknown_video": (f, d(15)),
    }
    sim.configure_faults(malformed=[MalformedRow(kind, video.id, day)
                                    for kind, (video, day) in bad.items()]
                         + [MalformedRow("string", None, d(16))])  # every row of 11-16
    conf = {"start_date": "2026-11-12", "end_date": "2026-11-19"}
    run = run_dag(dag, sim, START, conf)
    assert succeeded(run), task_states(run)

    ready = days(d(12), d(17))
    expected = expected_video_daily(world, world.channels, ready)
    not_loaded = {(bad[k][0].id, bad[k][1]) for k in ("short", "negative", "string")}
    not_loaded |= {k for k in expected if k[1] == d(16)}
    assert loaded_video_daily(wh) == {k: v for k, v in expected.items() if k not in not_loaded}
    assert {r[0] for r in wh.execute(
        "select distinct day from analytics.yt_channel_daily")} == set(ready) - {d(16)}

    reasons = wh.execute("select reason, video_id, day, payload, source from "
                         "analytics.load_quarantine").fetchall()
    by_video = {(vid, day): reason for reason, vid, day, _, _ in reasons if vid}
    assert by_video[(a.id, d(13))].startswith("missing fields")
    assert "negative" in by_video[(b.id, d(13))]
    assert "not a number" in by_video[(c.id, d(14))]
    assert by_video[(e.id, d(14))].startswith("duplicate row")
    unknown = [r for r in reasons if r[0].startswith("unknown video id")]
    assert len(unknown) == 1 and unknown[0][3]["row"][0] == UNKNOWN_VIDEO_ID
    assert unknown[0][2] == d(15)
    channel_rows = [r for r in reasons if r[4].endswith("channel_day")]
    assert {(r[2], "not a number" in r[0]) for r in channel_rows} == {(d(16), True)}
    assert len(channel_rows) == len(world.channels)
    assert all(r[3]["row"] and r[3]["columns"] for r in reasons)

    received = len(expected) + 2 + len(world.channels) * len(ready)  # + duplicate + unknown id
    loaded = (wh.execute("select count(*) from analytics.yt_video_daily").fetchone()[0]
              + wh.execute("select count(*) from analytics.yt_channel_daily").fetchone()[0])
    report = xcom(run, "report_revenue_load")
    assert (report["received"], report["loaded"], report["quarantined"]) == (
        received, loaded, len(reasons))
    assert received == loaded + len(reasons)

    before = snapshot(wh)  # the same bad rows again: nothing changes, nothing doubles
    assert succeeded(run_dag(dag, sim, START, conf))
    assert snapshot(wh) == before

    sim.clear_faults()  # good rows at last: loaded, and the days' quarantine replaced
    assert succeeded(run_dag(dag, sim, START, conf))
    assert loaded_video_daily(wh) == expected
    assert wh.execute("select count(*) from analytics.load_quarantine").fetchone()[0] == 0


def test_a_quarantined_row_leaves_the_earlier_figures_of_its_video_in_place(dag, sim, wh):
    world = sim.world
    video = world.videos_of(world.channels[0].id)[0]
    conf = {"start_date": "2026-11-13", "end_date": "2026-11-13"}
    assert succeeded(run_dag(dag, sim, START, conf))
    before = snapshot(wh)
    sim.configure_faults(malformed=[MalformedRow("negative", video.id, d(13))])
    assert succeeded(run_dag(dag, sim, START, conf))
    after = snapshot(wh)
    assert after["yt_video_daily"] == before["yt_video_daily"]
    assert after["fact_video_performance"] == before["fact_video_performance"]
    assert [r[4] for r in after["load_quarantine"]] == [video.id]


# --- late inputs --------------------------------------------------------------------------


def test_late_costs_and_partner_revenue_are_re_attributed_outside_the_window(dag, sim, wh):
    world = sim.world
    ch0, ch1, ch2 = world.channels
    v = world.videos_of(ch0.id)
    w = world.videos_of(ch1.id)
    early = [(v[0].id, ch0.id, d(14), "ai_generation", 100),
             (v[1].id, ch0.id, d(14), "api_calls", 40)]
    insert_costs(wh, early)
    run = run_dag(dag, sim, START, {"start_date": "2026-11-12", "end_date": "2026-11-17"})
    assert succeeded(run), task_states(run)

    # after the days were loaded: new, changed and deleted inputs, all for old days
    late = [(v[0].id, ch0.id, d(12), "voice_synthesis", 77),
            (None, ch2.id, d(13), "hosting", 1000),
            (v[4].id, ch0.id, d(19), "ai_generation", 250)]  # v4 is published on 11-20
    insert_costs(wh, late)
    wh.execute("update analytics.cost_tracking set cost_cents = 150 where video_id = %s "
               "and cost_type = 'ai_generation' and cost_cents = 100", (v[0].id,))
    wh.execute("delete from analytics.cost_tracking where video_id = %s and cost_type = "
               "'api_calls'", (v[1].id,))
    partner = [(w[0].id, d(12), "affiliate", 555), (v[2].id, d(15), "sponsorship", 2000)]
    insert_partner(wh, partner)

    later = START + timedelta(days=1)  # window 11-18 .. 11-20, of which 11-18 is ready
    run = run_dag(dag, sim, later)
    assert succeeded(run), task_states(run)

    costs = [(v[0].id, ch0.id, d(14), "ai_generation", 150), *late[:2]]
    ready = days(d(12), d(18))
    expected = expected_video_daily(world, world.channels, ready)
    # no hourly rows here: daily rows carry YouTube's views, channel costs follow them
    fact_views = {key: f["views"] for key, f in expected.items()}
    attribution = loaded_attribution(wh)
    want = expected_attribution(world, world.channels, ready, costs, partner, fact_views)
    assert {k: r for k, r in attribution.items() if k[1] != d(19)} == want
    assert assert_invariant_4(wh) == len(expected)
    # the cost of a video that reached dim_video only now, spread onto a fact row of its own
    assert attribution[(v[4].id, d(19))] == (0, 0, 0, 0, 250, 0, 0)
    assert [(r[0], r[9]) for r in fact_hours(wh, v[4].id, d(19))] == [(day_hours(d(19))[0], 250)]
    assert wh.execute("select count(*) from analytics.revenue_input_invalidation").fetchone()[0] == 0
    reattributed = {day for r in xcom(run, "load_channel_revenue", 0)["results"]
                    for day in r["units"].get("inputs", [])}
    assert {"2026-11-12", "2026-11-13", "2026-11-14", "2026-11-15", "2026-11-19"} <= reattributed


# --- many videos: batches of 200 ids, sent as POST with X-HTTP-Method-Override -------------


def test_a_channel_with_450_videos_is_asked_in_batches_of_200(dag, warehouse_connection,
                                                               monkeypatch):
    no_client_backoff(monkeypatch)
    with run_simulator(seed=11, channels=1, videos_per_channel=450, clock=START) as big, \
            psycopg.connect(warehouse_connection, autocommit=True) as conn:
        register_channels(conn, big, monkeypatch)
        run = run_dag(dag, big, START, {"start_date": "2026-11-17", "end_date": "2026-11-17"})
        assert succeeded(run), task_states(run)
        expected = expected_video_daily(big.world, big.world.channels, [d(17)])
        assert len(expected) > 400
        assert loaded_video_daily(conn) == expected
        assert assert_invariant_4(conn) == len(expected)
        reports = [c for c in big.call_log if c["path"] == "/v2/reports"]
        assert len(reports) == 1 + 3  # the day report, then 200 + 200 + the rest
        assert sum(c["sent_as"] == "POST" and c["method"] == "GET" for c in reports) >= 2

"""`youtube_reporting_reports` run by Airflow (`dag.test`) against the simulator's Reporting
API and a real PostgreSQL. Expected rows come from the simulator's world
(`reporting.report_rows`), never from the loader."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from revenue_expect import load_dag, registered, task_states, xcom

from ytempire_dev.simulator import MalformedRow, run_simulator
from ytempire_dev.simulator.faults import UNKNOWN_VIDEO_ID
from ytempire_dev.simulator.reporting import RESTATED_IMPRESSIONS, report_rows

DAG_ID = "youtube_reporting_reports"
START = datetime(2026, 11, 20, 15, tzinfo=UTC)  # 07:00 Pacific: the schedule's time


@pytest.fixture(scope="module")
def dag(airflow_db):
    return load_dag(DAG_ID)


@pytest.fixture
def sim():
    with run_simulator(seed=11, channels=2, videos_per_channel=4, clock=START) as s:
        yield s


@pytest.fixture
def wh(warehouse_connection, sim, monkeypatch):
    with registered(warehouse_connection, sim, monkeypatch) as conn:
        for video in sim.world.videos:
            conn.execute("insert into analytics.dim_video (video_id, channel_id, title) "
                         "values (%s, %s, %s)", (video.id, video.channel_id, video.title))
        yield conn


def run(dag, sim, at: datetime, redownload: bool = False):
    import pendulum

    sim.set_clock(at)
    return dag.test(logical_date=pendulum.instance(at), run_conf={"redownload": redownload})


def reach(conn) -> dict:
    return {(v, d.strftime("%Y%m%d")): (i, c) for v, d, i, c in conn.execute(
        "select video_id, day, impressions, ctr from analytics.yt_reach_daily")}


def expected(world, days, restated=()) -> dict:
    out = {}
    for channel in world.channels:
        for day in days:
            version = 2 if (channel.id, day) in restated else 1
            for d, _, video, impressions, ctr in report_rows(world, channel.id, day, version):
                out[(video, d)] = (impressions, Decimal(ctr))
    return out


def test_jobs_once_reports_after_the_lag_restatements_replace(dag, sim, wh):
    first = run(dag, sim, START)
    assert all(state == "success" for state in task_states(first).values())
    jobs = wh.execute("select channel_id, job_id from analytics.youtube_reporting_job").fetchall()
    assert sorted(c for c, _ in jobs) == sorted(c.id for c in sim.world.channels)
    assert xcom(first, "report_reach_load")["waiting_for_first_reports"] == sorted(
        c.id for c in sim.world.channels)
    assert reach(wh) == {}

    later = START + timedelta(days=3)
    run(dag, sim, later)
    # created 2026-11-20 (Pacific): back-fill of 30 days, then every day 48 h after its end
    days = [START.date() - timedelta(days=30) + timedelta(days=i) for i in range(31)]
    want = expected(sim.world, days)
    assert reach(wh) == want and len(want) > 100
    assert wh.execute("select count(*) from analytics.youtube_reporting_job").fetchone()[0] == 2
    assert sorted(j["id"] for c in sim.world.channels
                  for j in sim.reporting.list_jobs(c.id)["jobs"]) == sorted(j for _, j in jobs)

    # the same run again downloads nothing and changes nothing
    before = sim.calls.get("reporting.media", 0)
    run(dag, sim, later)
    assert sim.calls.get("reporting.media", 0) == before
    assert reach(wh) == want

    # YouTube restates a day: its rows are replaced by the new report's, nothing doubles
    channel, day = sim.world.channels[0], days[-3]
    sim.reporting.restate(channel.id, day, later + timedelta(hours=1))
    run(dag, sim, later + timedelta(hours=2))
    restated = expected(sim.world, days, restated={(channel.id, day)})
    assert reach(wh) == restated and restated != want
    changed = [k for k in want if want[k] != restated[k]]
    assert changed and all(restated[k][0] == int(want[k][0] * RESTATED_IMPRESSIONS)
                           for k in changed)
    assert wh.execute("select count(*) from analytics.youtube_reporting_report "
                      "where channel_id = %s and day = %s", (channel.id, day)).fetchone()[0] == 2

    # a forced re-download replaces every day with the same figures
    run(dag, sim, later + timedelta(hours=3), redownload=True)
    assert reach(wh) == restated


def test_malformed_lines_are_quarantined_and_counted(dag, sim, wh):
    later = START + timedelta(days=3)
    run(dag, sim, START)
    day = START.date() - timedelta(days=2)
    videos = [v.id for v in sim.world.videos if v.has_data_on(day)][:5]
    kinds = ["short", "negative", "string", "duplicate", "unknown_video"]
    sim.configure_faults(malformed=[MalformedRow(k, v, day) for k, v in zip(kinds, videos,
                                                                             strict=True)])
    dag_run = run(dag, sim, later)
    totals = xcom(dag_run, "report_reach_load")
    assert totals["received"] == totals["loaded"] + totals["quarantined"]
    reasons = [r for (r,) in wh.execute(
        "select reason from analytics.load_quarantine where day = %s order by id", (day,))]
    # short, negative, string, the repeat of the duplicated line, the unknown video's line
    assert totals["quarantined"] == len(reasons) == 5
    assert sum("fields for" in r for r in reasons) == 1
    assert sum("not a whole number" in r for r in reasons) == 2  # negative, string
    assert sum("repeated line" in r for r in reasons) == 1
    assert sum(UNKNOWN_VIDEO_ID in r for r in reasons) == 1
    loaded = reach(wh)
    good = expected(sim.world, [day])
    key = f"{day:%Y%m%d}"
    # the duplicated and the unknown-video lines' own rows load; the corrupted ones do not
    assert (videos[3], key) in loaded and (videos[4], key) in loaded
    assert all((video, key) not in loaded for video in videos[:3])
    assert {k: v for k, v in good.items() if k[0] not in videos[:3]} == {
        k: v for k, v in loaded.items() if k[1] == key}

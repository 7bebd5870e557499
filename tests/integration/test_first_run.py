"""The first run of the local stack (`scripts/run` up to the scheduler) on a PostgreSQL
without TimescaleDB (a relocated copy of this machine's PostgreSQL with TimescaleDB's files
left out): schema, channels, YTEMPIRE's own systems, the hourly collector replayed over the
last seven days, the history through `youtube_revenue_attribution`, both refreshes; then
what a person sees first, and a second start that loads nothing twice.

Plain path only, on purpose: this is the proof that the default run needs no TimescaleDB.
The same pipeline on TimescaleDB is `scripts/test`'s `dags-test --timescaledb`, and every
panel's SQL runs on both paths in test_dashboard_panels.py.

Expected figures come from the simulated world (`world.daily`, `world.counters`, the
systems' events), never from the pipeline."""

from __future__ import annotations

import os
import statistics
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from revenue_expect import assert_invariant_4
from test_dashboard_panels import panels
from test_report import check_in_chromium

from ytempire_dev import devstack, grafana_sql, report
from ytempire_dev.dashboards import panels_by_name
from ytempire_dev.grafana_sql import TimeRange
from ytempire_dev.simulator import pacific_date
from ytempire_dev.simulator.world import SQL_TAG, SQL_TITLE, UNICODE_TITLE
from ytempire_dev.simulator.ytempire_systems import events
from ytempire_dev.testing.local_stack import throwaway_stack
from ytempire_dev.testing.postgres_copy import postgres_without_timescaledb

HOUR = timedelta(hours=1)
STARTED: dict[str, datetime] = {}  # when the first run began


@pytest.fixture(scope="module")
def stack():
    before = os.environ.get("PG_BINDIR")
    try:
        with postgres_without_timescaledb() as bindir:
            os.environ["PG_BINDIR"] = str(bindir)  # the stack's cluster runs from the copy
            with throwaway_stack("plain") as stack:
                started, STARTED["at"] = time.monotonic(), datetime.now(UTC)
                assert stack.first_run() is True
                print(f"first run: {time.monotonic() - started:.0f} s")
                yield stack
    finally:
        if before is None:
            os.environ.pop("PG_BINDIR", None)
        else:
            os.environ["PG_BINDIR"] = before


@pytest.fixture(scope="module")
def conn(stack):
    with psycopg.connect(stack.uri, autocommit=True) as conn:
        yield conn


def run_panel(conn, title: str, time_range: TimeRange) -> list[tuple]:
    """A panel's SQL as Grafana runs it, every channel selected."""
    panel = panels()[title]
    options = {"channel": [r[0] for r in conn.execute(
        "select channel_id from analytics.dim_channel")]}
    statement = grafana_sql.render(panel["targets"][0]["rawSql"],
                                   grafana_sql.relative_range(time_range, panel.get("timeFrom")),
                                   {"channel": grafana_sql.ALL}, options)
    return conn.execute(statement).fetchall()


def last_week() -> TimeRange:
    end = datetime.now(UTC)
    return TimeRange(end - timedelta(days=7), end)


def test_the_warehouse_runs_on_a_postgresql_without_timescaledb(conn):
    assert conn.execute("select count(*) from pg_available_extensions "
                        "where name = 'timescaledb'").fetchone() == (0,)
    assert conn.execute("select distinct flavor from analytics.schema_migrations"
                        ).fetchall() == [("plain",)]


def test_a_network_of_channels_in_niches(conn, stack):
    niches = dict(conn.execute("select channel_id, niche from analytics.dim_channel"))
    assert niches == {c.id: c.niche for c in stack.world.channels}
    assert len(niches) >= 10 and len(set(niches.values())) >= 4
    titles = [t for (t,) in conn.execute("select title from analytics.dim_video")]
    assert len(titles) > 20 * len(niches)
    for title in titles:
        assert title not in (SQL_TITLE, UNICODE_TITLE, SQL_TAG)
        assert not any(mark in title for mark in ("DROP TABLE", ";--", "<b>", "東京"))
    assert conn.execute("select count(*) from analytics.dim_video where video_type is null"
                        ).fetchone() == (0,)


def test_eight_weeks_of_youtube_figures_as_youtube_sent_them(conn, stack):
    youtube_days = conn.execute(
        "select count(distinct revenue_date) from analytics.revenue_attribution "
        "where ad_revenue_cents + other_revenue_cents > 0").fetchone()[0]
    assert youtube_days >= 56
    # every loaded video-day: the fact table's sums are YouTube's figures, which are the world's
    checked = assert_invariant_4(conn, stack.world)
    assert checked > youtube_days * len(stack.world.channels) * 10


def test_costs_and_payments_that_arrived_are_in(conn, stack):
    now = datetime.now(UTC)
    first = pacific_date(now) - timedelta(days=devstack.HISTORY_DAYS)
    costs, payments = events(stack.world, first, pacific_date(now))
    written = dict(conn.execute("select external_ref, cost_cents from "
                                "analytics.cost_tracking"))
    assert written and all(written[c.ref] == c.cents for c in costs if c.ref in written)
    assert {c.ref for c in costs if c.arrives_at <= STARTED["at"]} <= set(written)
    received = dict(conn.execute("select external_ref, amount_cents from "
                                 "analytics.partner_revenue"))
    latest = {p.external_ref: p.cents for p in sorted(payments, key=lambda p: p.arrives_at)
              if p.arrives_at <= now}
    assert received and all(latest[ref] == cents for ref, cents in received.items())


def test_the_hourly_collector_was_replayed_as_of_each_hour(conn, stack):
    """Every replayed hour has every channel's snapshots; an hour of a day YouTube has not
    reported yet holds the counters' increment between two snapshots, as the simulator
    answered at each of those hours."""
    world = stack.world
    last_loaded = conn.execute("select max(day) from analytics.yt_video_daily").fetchone()[0]
    hours = conn.execute(
        "select snapshot_hour, count(distinct channel_id) from analytics.video_stats_snapshot "
        "group by 1 order by 1").fetchall()
    assert len(hours) >= 7 * 24 and {n for _, n in hours} == {len(world.channels)}
    assert [h for h, _ in hours] == [hours[0][0] + i * HOUR for i in range(len(hours))]
    increments = conn.execute(
        "select f.video_id, f.timestamp, f.views, f.likes from analytics.fact_video_performance "
        "as f where (f.timestamp at time zone 'America/Los_Angeles')::date > %s and exists ("
        "select from analytics.video_stats_snapshot as s where s.video_id = f.video_id "
        "and s.snapshot_hour = f.timestamp)", (last_loaded,)).fetchall()
    assert len(increments) > 24 * len(world.channels) * 10
    for video_id, hour, views, likes in increments[::7]:
        before, after = world.counters(video_id, hour), world.counters(video_id, hour + HOUR)
        assert views == after["views"] - before["views"], (video_id, hour)
        if before["likes"] is not None and after["likes"] is not None:
            assert likes == after["likes"] - before["likes"], (video_id, hour)


def test_the_heatmap_and_active_channels_are_filled(conn, stack):
    r = last_week()
    cells = {(row[0], hour) for row in run_panel(conn, "Views Distribution by Hour", r)
             for hour, views in enumerate(row[1:]) if views > 0}
    assert len(cells) >= 150
    # the same cells from the fact table's observed hours
    observed = conn.execute(
        "select count(distinct (extract(isodow from timestamp at time zone 'America/Los_Angeles'),"
        " extract(hour from timestamp at time zone 'America/Los_Angeles'))) "
        "from analytics.fact_video_performance where not daily_row and views > 0 "
        "and timestamp between %s and %s", (r.start, r.end)).fetchone()[0]
    assert observed == len(cells)
    recent = {c for (c,) in conn.execute(
        "select distinct channel_id from analytics.fact_video_performance "
        "where timestamp >= %s", (r.end - timedelta(hours=24),))}
    assert recent == {c.id for c in stack.world.channels}
    assert run_panel(conn, "Active Channels", r) == [(len(recent),)]


def test_a_weekly_rhythm_in_the_daily_views(conn):
    """Per channel, each loaded day's views over its centred 7-day mean, averaged per
    weekday: the median channel's strongest weekday over its weakest."""
    series = defaultdict(dict)
    for channel_id, day, views in conn.execute(
            "select channel_id, (timestamp at time zone 'America/Los_Angeles')::date as day, "
            "sum(views) from analytics.fact_video_performance "
            "where (timestamp at time zone 'America/Los_Angeles')::date "
            "<= (select max(day) from analytics.yt_video_daily) group by 1, 2"):
        series[channel_id][day] = views
    ratios = []
    for days in series.values():
        by_weekday = defaultdict(list)
        for day, views in days.items():
            week = [days.get(day + timedelta(days=k)) for k in range(-3, 4)]
            if None not in week and sum(week):
                by_weekday[day.weekday()].append(7 * views / sum(week))
        if len(by_weekday) == 7:
            means = [statistics.mean(v) for v in by_weekday.values()]
            ratios.append(max(means) / min(means))
    assert len(ratios) >= 10
    assert statistics.median(ratios) >= 1.15


def newest_reported_day(conn, world):
    """The newest day YouTube had reported when the first run loaded (the world's answer
    at some moment of the run)."""
    reported = conn.execute("select max(day) from analytics.yt_channel_daily").fetchone()[0]
    assert world.last_ready_day(STARTED["at"]) <= reported <= world.last_ready_day(
        datetime.now(UTC))
    return reported


def test_no_unreported_day_is_drawn_as_zero_revenue(conn, stack):
    reported = newest_reported_day(conn, stack.world)
    trend = run_panel(conn, "Revenue vs Cost Trend", last_week())
    drawn = {pacific_date(when): revenue for when, revenue, _ in trend}
    assert len(drawn) >= 28 and max(drawn) >= reported + timedelta(days=2)
    for day, revenue in drawn.items():
        if day > reported:
            assert revenue is None, day  # YouTube has not reported it: no point, not $0
        else:
            assert revenue > 0, day


def test_first_forecasts_are_seasonal_naive_and_say_why(conn, stack):
    """The default history (58 reported days) is enough for a forecast (28 final days)
    but not for a back-test (84): every forecast is seasonal naive, the young channel has
    none, and the run's log gives each channel's reason."""
    final = dict(conn.execute("select channel_id, count(*) from analytics.yt_channel_daily "
                              "group by channel_id").fetchall())
    enough = {c for c, days in final.items() if days >= 28}
    assert 0 < len(enough) < len(stack.world.channels)  # the young channel has too few
    rows = conn.execute("select channel_id, metric, count(*), min(model), max(model) "
                        "from analytics.forecast_daily group by 1, 2").fetchall()
    assert {r[0] for r in rows} == enough and len(rows) == 2 * len(enough)
    assert all(r[2:] == (30, "seasonal_naive", "seasonal_naive") for r in rows), rows
    assert conn.execute("select count(*) from analytics.forecast_backtest").fetchone()[0] == 0
    log = (Path(stack.env["AIRFLOW_HOME"]).parent / "analytics_forecasts.log").read_text()
    for channel in set(final) - enough:
        assert f"not forecast: {channel} (" in log
    for channel in enough:
        assert f"no back-test yet: {channel} (seasonal naive: {final[channel]} final day(s)" in log


def test_the_report_a_person_opens_first(conn, stack, tmp_path):
    out = report.write(stack.uri, report.last_days(7), tmp_path / "report.html")
    shots = report.REPO / "docs" if os.environ.get("YTEMPIRE_WRITE_DOC_SCREENSHOTS") else tmp_path
    drawn = check_in_chromium(out, shots / "report.png")
    # no experiment is registered in a first run: the Experiments dashboard's tables are
    # drawn empty; every other panel has data
    experiments = {t for t in drawn if t in EXPERIMENT_PANELS}
    assert experiments == EXPERIMENT_PANELS and all(drawn[t] == 0 for t in experiments), drawn
    titles = [t for t in drawn if t not in experiments]
    assert all(drawn[t] not in ("No data", "$0.00", 0) for t in titles), drawn
    assert any(t.startswith("Total Revenue (") and "YouTube reported to" in t for t in titles)
    assert any(t.startswith("Average Cost Per Video (") for t in titles)
    overview = next(t for t in titles if t.startswith("Channel Performance Overview"))
    assert drawn[overview] == len(stack.world.channels)
    written = report.screenshot_sections(out, shots)
    assert all(p.stat().st_size > 10_000 for p in written)
    # the trend as the browser drew it: revenue up to the newest reported day, no point after
    revenue, cost = drawn_trend(out)
    reported = newest_reported_day(conn, stack.world).isoformat()
    assert all(y is None for x, y in revenue if x[:10] > reported) and any(
        x[:10] > reported for x, _ in revenue)
    assert all(y is not None and y > 0 for x, y in revenue if x[:10] <= reported)
    assert all(y is not None for _, y in cost)


EXPERIMENT_PANELS = {name.split(" / ", 1)[1] for name in panels_by_name()
                     if name.startswith("Experiments / ")}


def drawn_trend(report_html) -> tuple[list, list]:
    """(x, y) of the revenue and cost lines of the report's trend, read from the page."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(report.CHROMIUM),
                                    args=report.CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(report_html.as_uri())
            plot = page.locator('section[data-panel="Revenue vs Cost Trend"] .js-plotly-plot')
            plot.wait_for(timeout=15_000)
            traces = plot.evaluate("node => node.data.map(t => [t.name, t.x, t.y])")
        finally:
            browser.close()
    lines = {name: list(zip(xs, ys, strict=True)) for name, xs, ys in traces}
    return lines["revenue"], lines["cost"]


def test_a_second_start_loads_nothing_twice(conn, stack):
    """Only hours after the newest snapshot and days YouTube reported since (none, unless
    a Pacific midnight passed) are loaded; what was loaded stays as it was."""
    last_day = conn.execute("select max(day) from analytics.yt_video_daily").fetchone()[0]
    days_loaded = ("select count(*), max(loaded_at) from analytics.yt_video_daily "
                   "where day <= %s")
    loaded = conn.execute(days_loaded, (last_day,)).fetchone()
    newest = conn.execute("select max(snapshot_hour) from analytics.video_stats_snapshot"
                          ).fetchone()[0]
    collected = conn.execute("select count(*), max(collected_at) from "
                             "analytics.video_stats_snapshot").fetchone()
    stack.first_run()
    assert conn.execute(days_loaded, (last_day,)).fetchone() == loaded
    assert conn.execute("select count(*), max(collected_at) from analytics.video_stats_snapshot "
                        "where snapshot_hour <= %s", (newest,)).fetchone() == collected
    # only hours after the newest snapshot, if the clock has moved on since
    assert conn.execute("select count(distinct snapshot_hour) from "
                        "analytics.video_stats_snapshot where snapshot_hour > %s",
                        (newest,)).fetchone()[0] <= 1 + (datetime.now(UTC) - newest) // HOUR

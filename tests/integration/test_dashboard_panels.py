"""Every dashboard panel's SQL, as Grafana runs it, returns the expected numbers.

The SQL is taken from the committed dashboard JSON, variables and macros are
substituted the way Grafana does (ytempire_dev.grafana_sql), and the statement runs as
the read-only reporting role against a warehouse holding rows built here. Expected
answers are computed in Python from those same rows, never with the panel's SQL.
The data: a channel whose name has a quote, two channels with one name, two videos
with one title, a range that starts and ends mid-day in Pacific time, a day with cost
but no revenue and one with revenue but no cost, daily rows (the heatmap leaves them
out), a channel whose last row is older than 24 hours, and a newest day YouTube has not
reported yet (the trend draws no revenue for it; the titles say so).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from ytempire_dev import grafana_sql
from ytempire_dev.grafana_sql import ALL, TimeRange

from rows import insert, refresh_all

REPO = Path(__file__).resolve().parents[2]
DASHBOARDS = REPO / "include" / "grafana" / "dashboards"
LA = ZoneInfo("America/Los_Angeles")
CENT = Decimal("0.01")

CHANNELS = {  # id: name
    "UCquote": "O'Brien's Money",
    "UCtwin1": "Twin Peaks",
    "UCtwin2": "Twin Peaks",
    "UCquiet": "Quiet Channel",
}
VIDEOS = {  # id: (channel, title)
    "vq1": ("UCquote", "Same Title"),
    "vq2": ("UCquote", "Same Title"),
    "vq3": ("UCquote", "Budget 101"),
    "vt1": ("UCtwin1", "Mountains"),
    "vt2": ("UCtwin2", "Valleys"),
    "vz1": ("UCquiet", "Silence"),
}
SELECTIONS = {
    "one": ["UCquote"],
    "several": ["UCquote", "UCtwin2"],
    "all": ALL,
}


def panels() -> dict[str, dict]:
    """The Executive and Channel Performance panels (the Experiments dashboard's are
    test_experiment_panels.py's)."""
    out = {}
    for path in (DASHBOARDS / "channel_performance.json", DASHBOARDS / "executive.json"):
        doc = json.loads(path.read_text())
        for panel in doc["panels"]:
            out[panel["title"].split(" (")[0]] = panel
    return out


def variable_sql(name: str) -> str:
    doc = json.loads((DASHBOARDS / "channel_performance.json").read_text())
    (variable,) = [v for v in doc["templating"]["list"] if v["name"] == name]
    return variable["query"]


# ---- the rows ----------------------------------------------------------------------------------


REPORTED_FROM_DAYS_AGO = 2  # YouTube has reported the days up to two days ago


@dataclass
class World:
    today: date
    facts: list[dict] = field(default_factory=list)
    revenue: list[dict] = field(default_factory=list)
    costs: list[dict] = field(default_factory=list)
    reported: set[date] = field(default_factory=set)  # days of YouTube's channel reports
    channel_days: list[dict] = field(default_factory=list)
    forecasts: list[dict] = field(default_factory=list)

    def day(self, days_ago: int) -> date:
        return self.today - timedelta(days=days_ago)


def local(d: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(d, time(hour, minute), LA)


def build_world(conn) -> World:
    now = datetime.now(LA)
    world = World(today=now.date())
    insert(conn, "dim_channel", [
        {"channel_id": c, "channel_name": n, "status": "active", "niche": "test",
         "monetization_enabled": True}
        for c, n in CHANNELS.items()
    ])
    insert(conn, "dim_video", [
        {"video_id": v, "channel_id": c, "title": t} for v, (c, t) in VIDEOS.items()
    ])

    # Hourly rows over the 9 days before today, a few local hours a day, different per
    # video; every third row of vq3 is a daily row (a day's figures at its first hour).
    seen: set[tuple[str, datetime]] = set()
    for n, (video, (channel, _)) in enumerate(sorted(VIDEOS.items())):
        for days_ago in range(1, 10):
            if channel == "UCquiet" and days_ago < 3:
                continue  # its last row is more than 24 hours before the range's end
            for k, hour in enumerate((0, 6 + n, 13, 14, 23 - n)):
                ts = local(world.day(days_ago), hour).astimezone(UTC)
                if (video, ts) in seen:
                    continue
                seen.add((video, ts))
                views = 10 * (n + 1) + 7 * days_ago + 3 * k + (-5 if k == 4 else 0)
                world.facts.append({
                    "video_id": video, "channel_id": channel, "timestamp": ts,
                    "views": views, "likes": views // 10, "comments": k, "shares": n % 2,
                    "estimated_revenue_cents": 13 * (n + 1) + days_ago,
                    "cost_cents": 5 * k + n,
                    "daily_row": video == "vq3" and k == 0 and days_ago % 3 == 0,
                })
    insert(conn, "fact_video_performance", world.facts)

    # Revenue per video and YouTube day; day 3 has cost but no revenue, day 4 revenue
    # but no cost.
    for n, (video, (channel, _)) in enumerate(sorted(VIDEOS.items())):
        for days_ago in range(1, 10):
            revenue = days_ago != 3
            cost = days_ago != 4
            world.revenue.append({
                "video_id": video, "channel_id": channel, "revenue_date": world.day(days_ago),
                "ad_revenue_cents": (150 + 37 * n + 11 * days_ago) if revenue else 0,
                "other_revenue_cents": (3 * n + days_ago) if revenue else 0,
                "sponsorship_revenue_cents": 500 if revenue and video == "vq2" else 0,
                "affiliate_revenue_cents": 0,
                "ai_cost_cents": (40 + 9 * n) if cost else 0,
                "api_cost_cents": (2 + n) if cost else 0,
                "infrastructure_cost_cents": 7 if cost else 0,
            })
    insert(conn, "revenue_attribution", world.revenue)
    # YouTube's day reports up to two days ago (yesterday is not reported yet), and the
    # forecasts trained on them
    add_forecasts(conn, world)
    world.reported = {d["day"] for d in world.channel_days}

    # Costs: per video at several local times (day boundaries included), and
    # channel-level costs, which are not the cost of making a video.
    for n, video in enumerate(sorted(VIDEOS)):
        for days_ago, hour, minute in ((8, 23, 30), (6, 1, 0), (5, 12, 0), (1, 20, 0),
                                       (0, 0, 30), (7, 0, 0)):
            world.costs.append({
                "external_ref": f"cost-{video}-{days_ago}", "video_id": video,
                "channel_id": VIDEOS[video][0], "cost_type": "ai_generation",
                "cost_cents": 31 + 17 * n + days_ago,
                "timestamp": local(world.day(days_ago), hour, minute),
            })
    world.costs.append({"external_ref": "cost-api-UCquote", "video_id": None,
                        "channel_id": "UCquote", "cost_type": "api_calls", "cost_cents": 10_000,
                        "timestamp": local(world.day(5), 9)})
    insert(conn, "cost_tracking", world.costs)
    refresh_all(conn)
    return world


FORECAST_CHANNELS = ("UCquote", "UCtwin1", "UCtwin2")  # UCquiet has no forecast yet


def add_forecasts(conn, world: World) -> None:
    """YouTube's channel totals for 40 days up to two days ago (UCquiet's: 8 days, too
    few for a forecast), a forecast trained through then (and an older one, which the
    panels must not use; UCtwin1 has only the older one); UCtwin2's falls."""
    through = world.day(REPORTED_FROM_DAYS_AGO)
    world.channel_days += [{"channel_id": "UCquiet", "day": through - timedelta(days=k),
                            "views": 0, "estimated_revenue": None} for k in range(8)]
    for n, channel in enumerate(FORECAST_CHANNELS):
        for k in range(40):
            world.channel_days.append({
                "channel_id": channel, "day": through - timedelta(days=k),
                "views": 1000 + 100 * n + 7 * k,
                "estimated_revenue": Decimal(4 + n) + Decimal(k) / 1000 + Decimal("0.005")})
        for trained, shift in ((through, 0), (through - timedelta(days=1), 999)):
            if channel == "UCtwin1" and shift == 0:
                continue  # its newest forecast is a day older: the totals cover both ends
            for metric, level in (("views", 1000 + 100 * n), ("revenue_cents", 400 + 100 * n)):
                if channel == "UCtwin2":
                    level //= 2
                for h in range(1, 31):
                    point = Decimal(level + 3 * h + shift) + Decimal("0.25")
                    world.forecasts.append({
                        "channel_id": channel, "metric": metric, "trained_through": trained,
                        "target_date": trained + timedelta(days=h), "horizon_days": h,
                        "point": point, "lo_80": point - 40 - 2 * n - h,
                        "hi_80": point + 50 + h, "lo_95": point - 60 - 2 * n - h,
                        "hi_95": point + 90 + h, "model": "auto_ets"})
    insert(conn, "yt_channel_daily", world.channel_days)
    insert(conn, "forecast_daily", world.forecasts)


# ---- expected answers, from the rows ---------------------------------------------------------


def revenue_dates(r: TimeRange) -> set[date]:
    first, last = r.start.astimezone(LA).date(), r.end.astimezone(LA).date()
    return {first + timedelta(days=i) for i in range((last - first).days + 1)}


def total_revenue(row) -> int:
    return (row["ad_revenue_cents"] + row["other_revenue_cents"]
            + row["sponsorship_revenue_cents"] + row["affiliate_revenue_cents"])


def total_cost(row) -> int:
    return row["ai_cost_cents"] + row["api_cost_cents"] + row["infrastructure_cost_cents"]


def selected_ids(selection) -> set[str]:
    return set(CHANNELS) if selection == ALL else set(selection)


def expected(world: World, title: str, r: TimeRange, selection) -> list[tuple]:
    chosen = selected_ids(selection)
    dates = revenue_dates(r)
    in_range = [row for row in world.revenue if row["revenue_date"] in dates]
    if title == "Total Revenue":
        return [(Decimal(sum(map(total_revenue, in_range))) / 100,)]
    if title == "Average Cost Per Video":
        per_video = defaultdict(int)
        for c in world.costs:
            if c["video_id"] and c["timestamp"].astimezone(LA).date() in dates:
                per_video[c["video_id"]] += c["cost_cents"]
        return [(Decimal(sum(per_video.values())) / len(per_video) / 100,)]
    if title == "Average ROI":
        cost = sum(map(total_cost, in_range))
        profit = sum(map(total_revenue, in_range)) - cost
        return [(Decimal(100 * profit) / cost if cost else None,)]
    if title == "Active Channels":
        since = r.end - timedelta(hours=24)
        return [(len({f["channel_id"] for f in world.facts if since <= f["timestamp"] < r.end}),)]
    if title == "Revenue vs Cost Trend":
        r30 = TimeRange(r.end - timedelta(days=30), r.end)
        days = defaultdict(lambda: [0, 0])
        for row in world.revenue:
            if row["revenue_date"] in revenue_dates(r30):
                days[row["revenue_date"]][0] += total_revenue(row)
                days[row["revenue_date"]][1] += total_cost(row)
        through = max(world.reported, default=None)
        return [(datetime.combine(d, time(0), LA),
                 Decimal(rev) / 100 if through and d <= through else None, Decimal(cost) / 100)
                for d, (rev, cost) in sorted(days.items())]
    if title == "Channel Performance Overview":
        return expected_overview(world, chosen)
    if title == "Views Distribution by Hour":
        grid = defaultdict(int)
        for f in world.facts:
            if f["channel_id"] in chosen and not f["daily_row"] and r.start <= f["timestamp"] <= r.end:
                t = f["timestamp"].astimezone(LA)
                grid[(t.isoweekday(), t.hour)] += f["views"]
        names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        return [(names[d - 1], *(grid[(d, h)] for h in range(24))) for d in range(1, 8)]
    if title == "Top 10 Videos by Revenue":
        per_video = defaultdict(int)
        for row in in_range:
            if row["channel_id"] in chosen:
                per_video[row["video_id"]] += total_revenue(row)
        ranked = sorted(per_video.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
        return [(f"{VIDEOS[v][1]} ({v})", Decimal(cents) / 100) for v, cents in ranked]
    if title == "Revenue Forecast":
        return expected_revenue_forecast(world)
    if title == "30-Day Forecast":
        return expected_channel_forecast(world, chosen)
    raise AssertionError(f"no expectation for panel {title!r}")


def _newest(world: World, metric: str, channels) -> list[dict]:
    through = {c: max(f["trained_through"] for f in world.forecasts if f["channel_id"] == c)
               for c in channels if any(f["channel_id"] == c for f in world.forecasts)}
    return [f for f in world.forecasts if f["metric"] == metric
            and through.get(f["channel_id"]) == f["trained_through"]]


def expected_revenue_forecast(world: World) -> list[tuple]:
    """The reported 30 days up to the training end (YouTube's channel totals of the
    channels with a forecast, each day's dollars rounded to cents first), then the
    forecast days every such channel covers."""
    newest = _newest(world, "revenue_cents", CHANNELS)
    channels = {f["channel_id"] for f in newest}
    ends = {f["channel_id"]: f["trained_through"] for f in newest}
    first_end, last_end = min(ends.values()), max(ends.values())
    out = []
    reported = defaultdict(Decimal)
    for d in world.channel_days:
        if d["channel_id"] in channels and last_end - timedelta(days=30) < d["day"] <= first_end:
            reported[d["day"]] += (d["estimated_revenue"] * 100).quantize(
                Decimal(1), rounding=ROUND_HALF_UP)
    for day, cents in sorted(reported.items()):
        out.append((datetime.combine(day, time(0), LA),
                    (cents / 100).quantize(CENT, rounding=ROUND_HALF_UP), None, None, None))
    days = defaultdict(list)
    for f in newest:
        days[f["target_date"]].append(f)
    for day, rows in sorted(days.items()):
        if {f["channel_id"] for f in rows} != channels:
            continue
        point = sum(f["point"] for f in rows)
        below = sum((f["point"] - f["lo_80"]) ** 2 for f in rows).sqrt()
        above = sum((f["hi_80"] - f["point"]) ** 2 for f in rows).sqrt()
        cents = [point, max(point - below, 0), point + above]
        out.append((datetime.combine(day, time(0), LA), None,
                    *((c / 100).quantize(CENT, rounding=ROUND_HALF_UP) for c in cents)))
    return out


def expected_channel_forecast(world: World, chosen: set[str]) -> list[tuple]:
    out = []
    for channel in sorted(chosen & set(FORECAST_CHANNELS)):
        views = _newest(world, "views", [channel])
        revenue = _newest(world, "revenue_cents", [channel])
        through = views[0]["trained_through"]
        last = [d for d in world.channel_days if d["channel_id"] == channel
                and through - timedelta(days=30) < d["day"] <= through]
        last_views = sum(d["views"] for d in last)
        last_revenue = sum((d["estimated_revenue"] * 100).quantize(
            Decimal(1), rounding=ROUND_HALF_UP) for d in last) / 100
        next_views = sum(f["point"] for f in views)
        next_revenue = sum(f["point"] for f in revenue) / 100
        falls = next_views < Decimal("0.9") * last_views or next_revenue < Decimal(
            "0.9") * last_revenue
        out.append((CHANNELS[channel], through, last_views,
                    next_views.quantize(Decimal(1), rounding=ROUND_HALF_UP),
                    (100 * (next_views - last_views) / last_views).quantize(
                        Decimal("0.1"), rounding=ROUND_HALF_UP),
                    last_revenue.quantize(CENT, rounding=ROUND_HALF_UP),
                    next_revenue.quantize(CENT, rounding=ROUND_HALF_UP),
                    (100 * (next_revenue - last_revenue) / last_revenue).quantize(
                        Decimal("0.1"), rounding=ROUND_HALF_UP),
                    "falls" if falls else ""))
    return sorted(out, key=lambda r: (r[-1] != "falls", r[0], r[1]))


def expected_overview(world: World, chosen: set[str]) -> list[tuple]:
    start = local(world.day(7), 0)
    end = local(world.today, 0)
    stats = {c: defaultdict(int) for c in CHANNELS}
    videos = defaultdict(set)
    for f in world.facts:
        if start <= f["timestamp"] < end:
            s = stats[f["channel_id"]]
            s["views"] += f["views"]
            s["engagements"] += f["likes"] + f["comments"] + f["shares"]
            s["revenue"] += f["estimated_revenue_cents"]
            s["cost"] += f["cost_cents"]
            videos[f["channel_id"]].add(f["video_id"])
    revenues = {c: s["revenue"] for c, s in stats.items()}
    rows = []
    for c in chosen:
        s = stats[c]
        engagement = (
            (Decimal(s["engagements"]) / s["views"] * 100).quantize(CENT) if s["views"] > 0 else None
        )
        rank = 1 + sum(1 for other in revenues.values() if other > revenues[c])
        rows.append((CHANNELS[c], len(videos[c]), s["views"], engagement,
                     Decimal(s["revenue"]) / 100, Decimal(s["cost"]) / 100,
                     Decimal(s["revenue"] - s["cost"]) / 100, rank, c))
    rows.sort(key=lambda row: (-row[6], row[0], row[8]))
    return [row[:-1] for row in rows]


# ---- running a panel as Grafana would ----------------------------------------------------------


def run_panel(conn, panel: dict, r: TimeRange, selection) -> tuple[list[str], list[tuple]]:
    (target,) = panel["targets"]
    statement = grafana_sql.render(
        target["rawSql"],
        grafana_sql.relative_range(r, panel.get("timeFrom")),
        {"channel": selection},
        {"channel": sorted(CHANNELS)},
    )
    with conn.transaction():
        conn.execute("set local role ytempire_reader")
        cursor = conn.execute(statement)
        columns = [d.name for d in cursor.description]
        return columns, cursor.fetchall()


def check_format(panel: dict, columns: list[str], rows: list[tuple]) -> None:
    fmt = panel["targets"][0]["format"]
    if panel["type"] == "timeseries":
        assert fmt == "time_series"
        assert columns[0] == "time", f"{panel['title']}: time series needs a `time` column"
        times = [row[0] for row in rows]
        assert all(isinstance(t, datetime) and t.tzinfo for t in times)
        assert times == sorted(times), "time series rows must be sorted by time"
    else:
        assert fmt == "table", f"{panel['title']}: {panel['type']} panels use table format"
    if panel["type"] in ("stat", "gauge"):
        assert len(columns) == 1 and len(rows) == 1, "one value"


def expected_titles(world: World, r: TimeRange) -> dict[str, str]:
    """The hidden title variables, in words."""
    first, last = r.start.astimezone(LA).date(), r.end.astimezone(LA).date()

    def day(d: date) -> str:
        return f"{d:%b} {d.day}"

    span = f"{day(first)} – {day(last)}"
    through = max(world.reported, default=None)
    if through is None or through < first:
        revenue = f"{span}; no YouTube revenue reported yet"
    elif through < last:
        revenue = f"{span}; YouTube reported to {day(through)}"
    else:
        revenue = span
    return {"revenue_days": revenue, "range_days": span}


def title_variables(conn, r: TimeRange) -> dict[str, str]:
    doc = json.loads((DASHBOARDS / "executive.json").read_text())
    with conn.transaction():
        conn.execute("set local role ytempire_reader")
        return {v["name"]: conn.execute(grafana_sql.render(v["query"], r)).fetchone()[0]
                for v in doc["templating"]["list"]}


def close(actual, wanted) -> bool:
    if isinstance(wanted, Decimal) and actual is not None:
        return abs(Decimal(actual) - wanted) < Decimal("1e-9")
    return actual == wanted


def assert_rows(title: str, actual: list[tuple], wanted: list[tuple]) -> None:
    assert len(actual) == len(wanted), f"{title}: {actual} != {wanted}"
    for got, want in zip(actual, wanted, strict=True):
        assert len(got) == len(want), f"{title}: {got} != {want}"
        assert all(close(a, w) for a, w in zip(got, want, strict=True)), (
            f"{title}: {got} != {want}"
        )


def test_every_panel_returns_the_expected_numbers(warehouse):
    world = build_world(warehouse)
    # From 10:30 six days ago to 14:15 yesterday, Pacific time.
    r = TimeRange(local(world.day(6), 10, 30), local(world.day(1), 14, 15))
    all_panels = panels()
    assert set(all_panels) == {
        "Total Revenue", "Average Cost Per Video", "Average ROI", "Active Channels",
        "Revenue vs Cost Trend", "Channel Performance Overview", "Views Distribution by Hour",
        "Top 10 Videos by Revenue", "Revenue Forecast", "30-Day Forecast",
    }
    for label, selection in SELECTIONS.items():
        for title, panel in all_panels.items():
            columns, actual = run_panel(warehouse, panel, r, selection)
            check_format(panel, columns, actual)
            assert_rows(f"{title} [{label}]", actual, expected(world, title, r, selection))


def test_no_unreported_day_is_drawn_as_zero_revenue(warehouse):
    """The days after the newest one YouTube reported have no revenue point (their partner
    revenue is no day's total); a reported day without revenue is a real $0."""
    world = build_world(warehouse)
    r = TimeRange(local(world.day(6), 10, 30), local(world.today, 14, 15))
    _, trend = run_panel(warehouse, panels()["Revenue vs Cost Trend"], r, ALL)
    drawn = {row[0].astimezone(LA).date(): row[1] for row in trend}
    assert drawn[world.day(1)] is None and drawn[world.day(3)] == 0  # day 3: cost, no revenue
    assert all(value is not None for day, value in drawn.items() if day in world.reported)
    assert_rows("trend", trend, expected(world, "Revenue vs Cost Trend", r, ALL))
    # without any YouTube report, no revenue point at all
    warehouse.execute("delete from analytics.yt_channel_daily")
    world.reported = set()
    _, trend = run_panel(warehouse, panels()["Revenue vs Cost Trend"], r, ALL)
    assert trend and all(row[1] is None and row[2] is not None for row in trend)


def test_stat_titles_say_which_days_they_cover(warehouse):
    world = build_world(warehouse)
    titles = {p["title"].split(" (")[0]: p["title"] for p in panels().values()}
    assert titles["Total Revenue"] == "Total Revenue (${revenue_days})"
    assert titles["Average ROI"] == "Average ROI (${revenue_days})"
    assert titles["Average Cost Per Video"] == "Average Cost Per Video (${range_days})"
    assert titles["Active Channels"] == "Active Channels (24 h to the range's end)"
    for r in (TimeRange(local(world.day(6), 10, 30), local(world.day(1), 14, 15)),  # pending
              TimeRange(local(world.day(9), 0, 0), local(world.day(3), 23, 59)),  # all in
              TimeRange(local(world.day(1), 8, 0), local(world.today, 8, 0))):  # none yet
        assert title_variables(warehouse, r) == expected_titles(world, r), r


def test_roi_is_a_stat_with_thresholds_not_a_gauge(warehouse):
    """Pooled ROI runs from -100 % to thousands: no fixed gauge scale fits it."""
    panel = panels()["Average ROI"]
    assert panel["type"] == "stat"
    steps = [(s["value"], s["color"]) for s in panel["fieldConfig"]["defaults"]["thresholds"][
        "steps"]]
    assert steps == [(None, "red"), (100, "yellow"), (200, "green")]
    world = build_world(warehouse)
    # a loss-making range: its ROI is negative, and the stat shows it as it is
    warehouse.execute("update analytics.revenue_attribution set ad_revenue_cents = 0, "
                      "other_revenue_cents = 0, sponsorship_revenue_cents = 0")
    r = TimeRange(local(world.day(6), 10, 30), local(world.day(2), 14, 15))
    (value,), = run_panel(warehouse, panel, r, ALL)[1]
    assert value == Decimal(-100)


def test_the_range_boundaries_count_whole_revenue_dates(warehouse):
    """A range that starts late on one day and ends early on another covers both dates."""
    world = build_world(warehouse)
    r = TimeRange(local(world.day(4), 23, 59), local(world.day(3), 0, 1))
    panel = panels()["Total Revenue"]
    _, actual = run_panel(warehouse, panel, r, ALL)
    day_4 = [row for row in world.revenue if row["revenue_date"] == world.day(4)]
    # day 3 has cost but no revenue: the total is day 4's alone
    assert actual == [(Decimal(sum(map(total_revenue, day_4))) / 100,)]


def test_roi_has_no_value_without_cost(warehouse):
    """Day 4 has revenue but no cost: ROI is empty rather than 0 or infinite."""
    world = build_world(warehouse)
    r = TimeRange(local(world.day(4), 9), local(world.day(4), 17))
    _, roi = run_panel(warehouse, panels()["Average ROI"], r, ALL)
    assert roi == [(None,)]


def test_the_channel_variable_tells_channels_with_one_name_apart(warehouse):
    build_world(warehouse)
    with warehouse.transaction():
        warehouse.execute("set local role ytempire_reader")
        options = warehouse.execute(variable_sql("channel")).fetchall()
    assert [tuple(o) for o in options] == [
        ("O'Brien's Money", "UCquote"), ("Quiet Channel", "UCquiet"),
        ("Twin Peaks", "UCtwin1"), ("Twin Peaks", "UCtwin2"),
    ]
    # one of the two same-named channels alone
    r = TimeRange(datetime.now(UTC) - timedelta(days=1), datetime.now(UTC))
    _, rows = run_panel(warehouse, panels()["Channel Performance Overview"], r, ["UCtwin2"])
    assert [row[0] for row in rows] == ["Twin Peaks"]


@pytest.mark.parametrize("text", ["plain", "O'Brien", "a'';drop table x;--"])
def test_sqlstring_quotes_like_postgres(warehouse, text):
    statement = grafana_sql.substitute_variables("select ${v:sqlstring}", {"v": [text]})
    assert warehouse.execute(statement).fetchone() == (text,)


def test_revenue_panels_are_exact_between_summary_refreshes(warehouse):
    """The trend and ROI panels sum the revenue summary per day
    (analytics.daily_revenue_current): a day changed since the summary's refresh is
    summed from revenue_attribution until the next refresh, then from the summary."""
    world = build_world(warehouse)
    r = TimeRange(local(world.day(6), 10, 30), local(world.day(1), 14, 15))
    changed = world.day(4)
    warehouse.execute(
        "update analytics.revenue_attribution set ad_revenue_cents = ad_revenue_cents + 777,"
        " ai_cost_cents = ai_cost_cents + 5 where revenue_date = %s", (changed,))
    for row in world.revenue:
        if row["revenue_date"] == changed:
            row["ad_revenue_cents"] += 777
            row["ai_cost_cents"] += 5
    for refreshed in (False, True):
        if refreshed:
            refresh_all(warehouse)
        pending = warehouse.execute(
            "select count(*) from analytics.revenue_invalidation").fetchone()[0]
        assert (pending == 0) == refreshed
        for title in ("Revenue vs Cost Trend", "Average ROI", "Total Revenue"):
            _, actual = run_panel(warehouse, panels()[title], r, ALL)
            assert_rows(f"{title} (refreshed: {refreshed})", actual,
                        expected(world, title, r, ALL))

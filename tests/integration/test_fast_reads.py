"""Queries 1, 2 and 4 read the daily series of their window through one function,
analytics.daily_series: complete warehouse days from the daily rollups, the partial
days at the window's edges from the fact table. The function and the queries'
answers are checked here against an independent calculation in Python over awkward
data: a window edge off the hour, the fall-back DST day (25 hours), windows of whole
warehouse days that cross it (Queries 2 and 4 at a PST midnight start at a PDT one), a video that
moves to another channel within a day, negative increments, hours without views,
facts of a paused channel and of a channel or video missing from the dimensions;
with the rollups refreshed, not refreshed at all, and (plain path) changed after
their refresh."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from ytempire import settings
from ytempire.warehouse import sql_file

from rows import channels, insert, refresh_all, videos

D = Decimal
ZONE = settings.WAREHOUSE_ZONE
FIRST_HOUR = datetime(2026, 8, 10, tzinfo=UTC)
HOURS = 24 * 100
AS_OFS = (datetime(2026, 11, 5, 13, 37, tzinfo=UTC),  # off the hour, inside a day
          datetime(2026, 11, 9, 8, tzinfo=UTC))  # a warehouse midnight (PST)


def awkward_facts(seed: int = 12) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for hour_index in range(HOURS):
        ts = FIRST_HOUR + timedelta(hours=hour_index)
        for video, channel in (("vA1", "UC_A"), ("vA2", "UC_A"), ("vB1", "UC_B"),
                               ("vP1", "UC_P"), ("vX1", "UC_X"), ("vN1", "UC_B")):
            if rng.random() < 0.35:
                continue
            if video == "vA2" and ts >= datetime(2026, 11, 3, 19, tzinfo=UTC):
                channel = "UC_B"  # moved channel in the middle of a warehouse day
            big = rng.random() < 0.1
            rows.append({
                "video_id": video, "channel_id": channel, "timestamp": ts,
                "views": rng.choice([0, -3, rng.randint(1, 60), rng.randint(200, 900) if big else 5]),
                "likes": rng.randint(0, 9), "comments": rng.randint(0, 3),
                "shares": rng.randint(0, 2),
                "watch_time_minutes": D(rng.randint(0, 9999)) / 100,
                "estimated_revenue_cents": rng.randint(0, 400), "cost_cents": rng.randint(0, 30),
            })
    return rows


@pytest.fixture
def facts_loaded(warehouse):
    conn = warehouse
    channels(conn, ("UC_A", "Alpha", "active"), ("UC_B", "Beta", "active"),
             ("UC_P", "Paused", "paused"), ("UC_E", "Empty", "active"))
    videos(conn, ("vA1", "UC_A", "A1"), ("vA2", "UC_A", "A2"), ("vB1", "UC_B", "B1"),
           ("vP1", "UC_P", "P1"), ("vX1", "UC_A", "X1"))  # vN1 has no dim_video row
    rows = awkward_facts()
    for start in range(0, len(rows), 2000):
        insert(conn, "fact_video_performance", rows[start:start + 2000])
    return conn, rows


def in_window(rows, as_of, days):
    """The rows of the `days` warehouse days before as_of: from the same wall-clock time
    in the warehouse zone (a window that crosses a DST change is not days x 24 hours)."""
    start = as_of.astimezone(ZONE) - timedelta(days=days)  # wall-clock arithmetic
    return [r for r in rows if start <= r["timestamp"] < as_of]


def local_day(ts):
    return ts.astimezone(ZONE).date()


# --- the independent calculations ----------------------------------------------------------

def expected_q1(rows, as_of):
    by_channel = defaultdict(list)
    for r in in_window(rows, as_of, 7):
        by_channel[r["channel_id"]].append(r)
    result = {}
    for channel in ("UC_A", "UC_B", "UC_E"):  # the active channels
        rs = by_channel.get(channel, [])
        views = sum(r["views"] for r in rs)
        engagements = sum(r["likes"] + r["comments"] + r["shares"] for r in rs)
        revenue = sum(r["estimated_revenue_cents"] for r in rs)
        cost = sum(r["cost_cents"] for r in rs)
        result[channel] = (
            len({r["video_id"] for r in rs}), views,
            round(D(engagements) / views, 6) if views > 0 else None,
            D(revenue) / 100, D(cost) / 100, D(revenue - cost) / 100,
            round(sum(r["watch_time_minutes"] for r in rs) / len(rs), 6) if rs else None)
    return result


def expected_q2(rows, as_of, known=("vA1", "vA2", "vB1", "vP1", "vX1")):
    days = defaultdict(lambda: [0, 0])
    for r in in_window(rows, as_of, 30):
        if r["video_id"] in known:  # the videos in dim_video
            day = days[(r["video_id"], local_day(r["timestamp"]))]
            day[0] += r["views"]
            day[1] += r["estimated_revenue_cents"]
    result = {}
    for video in {v for v, _ in days}:
        series = [days[k] for k in sorted(k for k in days if k[0] == video)]
        views = [s[0] for s in series]
        if max(views) <= 1000:
            continue
        changes = [b - a for a, b in zip(views, views[1:], strict=False)]
        cumulative = [sum(s[1] for s in series[:i + 1]) for i in range(len(series))]
        result[video] = (max(views), round(D(sum(views)) / len(views), 6),
                         round(D(sum(changes)) / len(changes), 6) if changes else None,
                         D(max(cumulative)) / 100, sum(v > 1000 for v in views))
    return result


def expected_q4(rows, as_of):
    weeks = defaultdict(lambda: [0, 0])
    for r in in_window(rows, as_of, 84):
        if r["channel_id"] in ("UC_A", "UC_B", "UC_P"):  # the channels in dim_channel
            local = r["timestamp"].astimezone(ZONE).date()
            week = weeks[(r["channel_id"], local - timedelta(days=local.weekday()))]
            week[0] += r["views"]
            week[1] += r["estimated_revenue_cents"]
    result = {}
    for channel in {c for c, _ in weeks}:
        rpms = [D(rev) / 100 / views * 1000 for (c, _), (views, rev) in weeks.items()
                if c == channel and views > 0]
        result[channel] = (round(sum(rpms) / len(rpms), 6), round(max(rpms), 6),
                           round(min(rpms), 6))
    return result


def expected_series(rows, start, end, by_video):
    """Per warehouse day (keyed by its start) and video, or channel: fact rows (by video),
    views, engagements, revenue cents, cost cents, watch time, summed by hand."""
    series = defaultdict(lambda: [0, 0, 0, 0, 0, D(0)])
    for r in rows:
        if start <= r["timestamp"] < end:
            local = local_day(r["timestamp"])
            day = datetime(local.year, local.month, local.day, tzinfo=ZONE)
            s = series[(day, r["channel_id"], r["video_id"] if by_video else None)]
            for i, value in enumerate((1, r["views"], r["likes"] + r["comments"] + r["shares"],
                                       r["estimated_revenue_cents"], r["cost_cents"],
                                       r["watch_time_minutes"])):
                s[i] += value
    return {key: (s[0] if by_video else None, *s[1:]) for key, s in series.items()}


# --- the queries ---------------------------------------------------------------------------

def daily_series(conn, start, end, by_video):
    rows = conn.execute(
        "select day, channel_id, video_id, fact_rows, views, engagements, revenue_cents,"
        " cost_cents, watch_time_minutes from analytics.daily_series(%s, %s, %s)",
        (start, end, by_video)).fetchall()
    series = {(day, channel, video): tuple(rest) for day, channel, video, *rest in rows}
    assert len(series) == len(rows), "one row per day and video (or channel)"
    return series


def q1(conn, as_of):
    rows = conn.execute(sql_file("queries/q1_channel_performance.sql"), {"as_of": as_of})
    return {r[0]: (r[3], r[4], r[5] if r[5] is None else round(r[5], 6), r[6], r[7], r[8],
                   r[9] if r[9] is None else round(r[9], 6)) for r in rows}


def q2(conn, as_of):
    rows = conn.execute(sql_file("queries/q2_video_performance_trends.sql"), {"as_of": as_of})
    return {r[0]: (r[3], round(r[4], 6), r[5] if r[5] is None else round(r[5], 6), r[6], r[7])
            for r in rows}


def q4(conn, as_of):
    rows = conn.execute(sql_file("queries/q4_rpm_analysis.sql"), {"as_of": as_of})
    return {r[0]: (round(r[3], 6), round(r[4], 6), round(r[5], 6)) for r in rows}


def assert_queries_match(conn, rows):
    for as_of in AS_OFS:
        assert q1(conn, as_of) == expected_q1(rows, as_of), as_of
        assert q2(conn, as_of) == expected_q2(rows, as_of), as_of
        assert q4(conn, as_of) == expected_q4(rows, as_of), as_of


WINDOWS = [(as_of - span, as_of) for as_of in AS_OFS
           for span in (timedelta(days=7), timedelta(days=30), timedelta(hours=5))] + [
    (AS_OFS[0], AS_OFS[0]),  # empty
    (datetime(2026, 11, 1, 8, tzinfo=UTC), datetime(2026, 11, 3, 8, tzinfo=UTC)),  # fall-back day
]


def test_daily_series_matches_python_refreshed_or_not(facts_loaded):
    conn, rows = facts_loaded
    for refreshed in (False, True):
        if refreshed:
            refresh_all(conn)
        for start, end in WINDOWS:
            for by_video in (True, False):
                assert daily_series(conn, start, end, by_video) == expected_series(
                    rows, start, end, by_video), (refreshed, start, end, by_video)


@pytest.mark.parametrize("name", ["q1_channel_performance", "q2_video_performance_trends",
                                  "q4_rpm_analysis"])
def test_queries_read_their_days_through_daily_series_only(name):
    text = sql_file(f"queries/{name}.sql")
    assert "analytics.daily_series(" in text
    for other_way in ("complete_days", "fact_video_performance", "_daily_current"):
        assert other_way not in text


def test_the_data_is_awkward_enough(facts_loaded):
    _, rows = facts_loaded
    as_of = AS_OFS[1]
    assert expected_q2(rows, as_of), "some video has a day above 1,000 views"
    assert any(r["views"] < 0 for r in rows)
    assert len({local_day(r["timestamp"]) for r in rows
                if r["timestamp"].astimezone(ZONE).utcoffset() != timedelta(hours=-8)}) > 1


def test_reads_match_python_with_nothing_refreshed(facts_loaded):
    conn, rows = facts_loaded
    assert_queries_match(conn, rows)


def test_reads_match_python_with_the_rollups_refreshed(facts_loaded):
    conn, rows = facts_loaded
    refresh_all(conn)
    assert conn.execute("select count(*) from analytics.mv_video_daily_performance"
                        ).fetchone()[0] > 0
    assert_queries_match(conn, rows)


@pytest.mark.only_path("plain")
def test_reads_match_python_after_a_late_change_not_yet_refreshed(facts_loaded):
    """Plain path only: a bucket changed after its refresh is read from the fact table
    until the next refresh. On TimescaleDB a change below a continuous aggregate's
    watermark waits for the next refresh, as with every continuous aggregate."""
    conn, rows = facts_loaded
    refresh_all(conn)
    target = next(r["timestamp"] for r in rows
                  if r["video_id"] == "vB1" and r["timestamp"] >= datetime(2026, 11, 2, tzinfo=UTC))
    conn.execute("update analytics.fact_video_performance set views = views + 5000"
                 " where video_id = 'vB1' and timestamp = %s", (target,))
    conn.execute("delete from analytics.fact_video_performance where video_id = 'vA1'"
                 " and timestamp >= '2026-11-04T00:00Z' and timestamp < '2026-11-04T12:00Z'")
    changed = [dict(r) for r in rows if not (
        r["video_id"] == "vA1"
        and datetime(2026, 11, 4, tzinfo=UTC) <= r["timestamp"] < datetime(2026, 11, 4, 12,
                                                                           tzinfo=UTC))]
    for r in changed:
        if r["video_id"] == "vB1" and r["timestamp"] == target:
            r["views"] += 5000
    assert_queries_match(conn, changed)
    refresh_all(conn)  # the changed days recomputed, mv_video_daily_views with them
    assert_queries_match(conn, changed)


def test_q2_finds_a_day_over_the_threshold_only_across_two_channels(warehouse):
    """Query 2 reads the series of the videos with a day above 1,000 views only, picked
    from the views per video and day across channels: a video that moved channel
    within a day (600 views under each) is reported, one just below the threshold in
    two channels (900 + 50) is not, one above it only in the partial day at the
    window's edge is; rollups refreshed or not, window edges on and off a warehouse
    midnight."""
    conn = warehouse
    channels(conn, ("UC_A", "Alpha", "active"), ("UC_B", "Beta", "active"))
    videos(conn, ("vS", "UC_B", "Split"), ("vQ", "UC_B", "Quiet"), ("vE", "UC_A", "Edge"))
    midnight = datetime(2026, 11, 3, 8, tzinfo=UTC)  # a warehouse midnight (PST)
    rows = [{"video_id": video, "channel_id": channel, "timestamp": midnight + timedelta(hours=h),
             "views": views, "likes": 1, "comments": 0, "shares": 0,
             "watch_time_minutes": D("1.5"), "estimated_revenue_cents": 7 * h, "cost_cents": 1}
            for video, channel, h, views in (
                ("vS", "UC_A", 2, 600), ("vS", "UC_B", 20, 600), ("vS", "UC_B", 30, 10),
                ("vQ", "UC_A", 3, 900), ("vQ", "UC_B", 22, 50), ("vQ", "UC_B", 40, 20),
                ("vE", "UC_A", 26, 1500))]
    insert(conn, "fact_video_performance", rows)
    for refreshed in (False, True):
        if refreshed:
            refresh_all(conn)
        for as_of in (midnight + timedelta(days=2), midnight + timedelta(hours=30)):
            expected = expected_q2(rows, as_of, known=("vS", "vQ", "vE"))
            assert set(expected) == {"vS", "vE"}
            assert q2(conn, as_of) == expected, (refreshed, as_of)

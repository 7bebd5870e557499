"""Query 5 (a median and a distinct count per video type: no rollup keeps it) answers
its default window from the answer the revenue summary's refresh kept for that day,
and from its source tables whenever something the kept answer read has changed since:
a revenue day of its window, a video's type or category. Checked against an
independent calculation in Python, before and after each change and refresh."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from ytempire import rollups, settings
from ytempire.warehouse import sql_file

from rows import channels, revenue, videos

D = Decimal


def cents(x: Decimal) -> Decimal:
    """round(x, 2) as PostgreSQL rounds numeric: half away from zero."""
    return x.quantize(D("0.01"), ROUND_HALF_UP)
TODAY = date(2026, 11, 25)
AS_OF = datetime(2026, 11, 25, 13, tzinfo=settings.WAREHOUSE_ZONE)


def build(conn) -> dict:
    """Videos of two types (one with a quote in its category), a month of revenue rows
    with and without cost; returns {video: [type, category]} and the revenue rows."""
    channels(conn, ("UC", "Chan", "active"))
    kinds = {f"v{i}": ["tutorial" if i % 2 else "news", "it's science" if i % 3 else "games"]
             for i in range(20)}
    videos(conn, *[(v, "UC", v.upper(), *kind) for v, kind in kinds.items()])
    rows = []
    for i, video in enumerate(sorted(kinds)):
        for days_ago in range(0, 40, 3):
            cost = (i + days_ago) % 4 * 25
            rows.append((video, "UC", (TODAY - timedelta(days=days_ago)).isoformat(),
                         40 * i + days_ago, i, 0, 0, cost, 0, 0))
    revenue(conn, *rows)
    return {"kinds": kinds, "rows": [list(r) for r in rows]}


def expected(world) -> list[tuple]:
    groups = defaultdict(list)
    for video, _, day, ad, other, _s, _a, ai, _api, _infra in world["rows"]:
        if TODAY - timedelta(days=30) <= date.fromisoformat(day) < TODAY:
            groups[tuple(world["kinds"][video])].append((video, ad + other, ai))
    answer = []
    for (kind, category), rs in groups.items():
        rois = [cents(D(100) * (rev - cost) / cost) for _, rev, cost in rs if cost]
        count = len({v for v, _, _ in rs})
        revenue_, cost = sum(r for _, r, _ in rs), sum(c for _, _, c in rs)
        if count >= 5:
            # the median is a double precision, cast to numeric (15 digits) before rounding
            answer.append((kind, category, count, cents(sum(rois) / len(rois)),
                           cents(D(repr(statistics.median(float(x) for x in rois)))),
                           D(revenue_) / 100, D(cost) / 100, D(revenue_ - cost) / 100,
                           cents(D(revenue_ - cost) / 100 / count),
                           statistics.median(float(x) for x in rois)))
    answer.sort(key=lambda a: (-a[9], a[0], a[1]))
    return [a[:9] for a in answer]


def q5(conn) -> list[tuple]:
    return conn.execute(sql_file("queries/q5_roi_by_video_type.sql"), {"as_of": AS_OF}).fetchall()


def kept(conn) -> list[date]:
    return [d for (d,) in conn.execute(
        "select distinct as_of_day from analytics.roi_by_video_type_kept order by 1")]


def refresh_for_today(conn) -> None:
    rollups.refresh_for_run(conn, "daily_revenue_summary", AS_OF)


def test_q5_answers_from_the_kept_answer_only_while_it_is_current(warehouse):
    conn = warehouse
    world = build(conn)
    assert len(expected(world)) == 2
    assert q5(conn) == expected(world), "nothing kept yet: the live aggregation"
    refresh_for_today(conn)
    assert kept(conn) == [TODAY]
    conn.execute("delete from analytics.revenue_attribution")  # what a stale copy would miss
    conn.execute("delete from analytics.revenue_invalidation")
    assert q5(conn) == expected(world), "the kept answer is read"
    conn.execute("truncate analytics.roi_by_video_type_kept")
    revenue(conn, *[tuple(r) for r in world["rows"]])
    refresh_for_today(conn)

    # a revenue day of the window changes: live until the next refresh keeps it again
    conn.execute("update analytics.revenue_attribution set ai_cost_cents = ai_cost_cents + 30"
                 " where video_id = 'v3' and revenue_date = %s", (TODAY - timedelta(days=9),))
    for r in world["rows"]:
        if r[0] == "v3" and r[2] == (TODAY - timedelta(days=9)).isoformat():
            r[7] += 30
    assert q5(conn) == expected(world)
    refresh_for_today(conn)
    assert kept(conn) == [TODAY] and q5(conn) == expected(world)

    # a video changes type: its revenue days are logged, the answer follows at once
    conn.execute("update analytics.dim_video set video_type = 'tutorial' where video_id = 'v4'")
    world["kinds"]["v4"][0] = "tutorial"
    assert q5(conn) == expected(world)
    refresh_for_today(conn)
    assert q5(conn) == expected(world)

    # a change outside the window keeps the kept answer
    conn.execute("update analytics.revenue_attribution set ad_revenue_cents = 1"
                 " where revenue_date = %s", (TODAY - timedelta(days=33),))
    refresh_for_today(conn)
    assert kept(conn) == [TODAY] and q5(conn) == expected(world)


def test_a_refresh_for_another_day_keeps_that_day_only(warehouse):
    conn = warehouse
    world = build(conn)
    refresh_for_today(conn)
    rollups.refresh_for_run(conn, "daily_revenue_summary", AS_OF + timedelta(days=1))
    assert kept(conn) == [TODAY + timedelta(days=1)]
    assert q5(conn) == expected(world), "the live aggregation for a day without a kept answer"

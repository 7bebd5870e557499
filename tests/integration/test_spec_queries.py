"""The spec's queries (§2), corrected, on hand-computed data, on both paths."""

from decimal import Decimal

import pytest

from ytempire.warehouse import sql_file

from rows import channels, facts, insert, refresh_all, revenue, utc, videos

D = Decimal


def run(conn, name, as_of):
    return conn.execute(sql_file(f"queries/{name}.sql"), {"as_of": utc(as_of)}).fetchall()


def test_q1_channel_performance(warehouse):
    conn = warehouse
    channels(conn, ("UC_A", "Alpha", "active"), ("UC_B", "Beta", "active"),
             ("UC_C", "Gamma", "paused"), ("UC_D", "Delta", "active"))
    facts(
        conn,
        ("vA1", "UC_A", "2026-11-20T08:00", 100, 10, 5, 5, 250, 40),
        ("vA1", "UC_A", "2026-11-20T09:00", 1, 10, 0, 0, 0, 0),
        ("vA2", "UC_A", "2026-11-21T07:00", 50, 2, 1, 0, 100, 10),
        ("vB1", "UC_B", "2026-11-20T08:00", 10, 1, 1, 0, 5, 100),
        ("vC1", "UC_C", "2026-11-20T08:00", 10, 1, 1, 0, 5, 100),
        ("vA1", "UC_A", "2026-11-14T08:00", 999, 0, 0, 0, 999, 0),  # 7 days + 1 hour before
        ("vA1", "UC_A", "2026-11-21T09:00", 999, 0, 0, 0, 999, 0),  # at as_of: excluded
    )
    rows = run(conn, "q1_channel_performance", "2026-11-21T09:00")
    got = [(r[0], r[3], r[4], r[5] and round(r[5], 6), r[6], r[7], r[8], r[10], r[11], r[12]) for r in rows]
    assert got == [
        # channel, videos, views, engagement, revenue, cost, profit, ranks (revenue, views, profit)
        ("UC_A", 2, 151, D("0.218543"),  # (20 + 10 + 3) / 151
         D("3.50"), D("0.50"), D("3.00"), 1, 1, 1),
        ("UC_D", 0, 0, None, D(0), D(0), D(0), 3, 3, 2),
        ("UC_B", 1, 10, D("0.2"), D("0.05"), D("1.00"), D("-0.95"), 2, 2, 3),
    ]


def test_q2_video_trends_sum_increments_per_day(warehouse):
    conn = warehouse
    channels(conn, ("UC", "Chan", "active"))
    videos(conn, ("vX", "UC", "Same"), ("vY", "UC", "Same"))  # same title, kept apart
    facts(
        conn,
        ("vX", "UC", "2026-11-20T10:00", 1000, 0, 0, 0, 60, 0),  # LA day 20: 1500 views
        ("vX", "UC", "2026-11-20T11:00", 500, 0, 0, 0, 40, 0),
        ("vX", "UC", "2026-11-21T10:00", 800, 0, 0, 0, 50, 0),  # LA day 21: 800
        ("vX", "UC", "2026-11-22T10:00", 2000, 0, 0, 0, 200, 0),  # LA day 22: 2000
        ("vY", "UC", "2026-11-20T10:00", 900, 0, 0, 0, 10, 0),  # never above 1000 a day
    )
    rows = run(conn, "q2_video_performance_trends", "2026-11-25T00:00")
    assert len(rows) == 1
    video_id, title, channel, peak, avg_daily, avg_change, revenue_total, viral = rows[0]
    assert (video_id, title, channel, peak, viral) == ("vX", "Same", "UC", 2000, 2)
    assert round(avg_daily, 4) == D("1433.3333")  # (1500 + 800 + 2000) / 3
    assert avg_change == D(250)  # (-700 + 1200) / 2
    assert revenue_total == D("3.50")


def test_q3_cost_analysis_by_warehouse_day(warehouse):
    conn = warehouse
    insert(conn, "cost_tracking", [
        {"external_ref": f"cost-{ts}-{c}", "video_id": "v1", "cost_type": c,
         "cost_cents": cents, "timestamp": utc(ts)}
        for c, cents, ts in [
            ("ai_generation", 100, "2026-11-20T10:00"),
            ("ai_generation", 300, "2026-11-20T12:00"),
            ("api_calls", 100, "2026-11-20T11:00"),
            ("voice_synthesis", 0, "2026-11-21T07:30"),  # 23:30 in LA: still day 20
            ("ai_generation", 0, "2026-11-21T08:00"),  # LA day 21: total cost 0
        ]
    ])
    rows = [(str(r[0]), *r[1:]) for r in run(conn, "q3_cost_analysis", "2026-11-22T00:00")]
    assert rows == [
        ("2026-11-21", "ai_generation", D(0), 1, D(0), None),
        ("2026-11-20", "ai_generation", D("4.00"), 2, D("2.00"), D("80.00")),
        ("2026-11-20", "api_calls", D("1.00"), 1, D("1.00"), D("20.00")),
        ("2026-11-20", "voice_synthesis", D(0), 1, D(0), D("0.00")),
    ]


def test_q4_rpm_in_dollars_per_thousand_views(warehouse):
    conn = warehouse
    channels(conn, ("UC_A", "Alpha", "active"), ("UC_B", "Beta", "active"))
    facts(
        conn,
        ("a1", "UC_A", "2026-11-17T20:00", 1000, 0, 0, 0, 300, 0),  # $3.00 per 1000 views
        ("a1", "UC_A", "2026-11-24T20:00", 0, 5, 0, 0, 0, 0),  # a week without views
        ("b1", "UC_B", "2026-11-17T20:00", 2000, 0, 0, 0, 1200, 0),  # $6.00
    )
    rows = [(r[0], r[3], r[4], r[5], r[7]) for r in run(conn, "q4_rpm_analysis", "2026-11-25T00:00")]
    assert rows == [
        ("UC_B", D(6), D(6), D(6), "High Performer"),
        ("UC_A", D(3), D(3), D(3), "Average Performer"),
    ]


def test_windows_are_whole_warehouse_days_across_a_dst_change(warehouse):
    # 84 warehouse days before the PST midnight of Dec 7 is the PDT midnight of Sep 14
    # (07:00 UTC), not 84 x 24 hours before it (08:00 UTC): that day's first hour and its
    # costs count, the hour before it does not.
    conn = warehouse
    channels(conn, ("UC_A", "Alpha", "active"))
    facts(
        conn,
        ("a1", "UC_A", "2026-09-14T07:00", 1000, 0, 0, 0, 300, 0),  # 00:00 PDT: in
        ("a1", "UC_A", "2026-09-14T06:00", 1000, 0, 0, 0, 9900, 0),  # 23:00 the day before
    )
    rows = [(r[0], r[3], r[4], r[5]) for r in run(conn, "q4_rpm_analysis", "2026-12-07T08:00")]
    assert rows == [("UC_A", D(3), D(3), D(3))]
    insert(conn, "cost_tracking", [
        {"external_ref": f"cost-{ts}", "video_id": "a1", "cost_type": "ai_generation",
         "cost_cents": cents, "timestamp": utc(ts)}
        for cents, ts in [(100, "2026-10-21T07:30"), (999, "2026-10-21T06:30")]
    ])
    # 30 days before the PST midnight of Nov 20 is the PDT midnight of Oct 21 (07:00 UTC)
    rows = [(str(r[0]), r[2]) for r in run(conn, "q3_cost_analysis", "2026-11-20T08:00")]
    assert rows == [("2026-10-21", D("1.00"))]


def test_q5_roi_by_video_type(warehouse):
    conn = warehouse
    channels(conn, ("UC", "Chan", "active"))
    videos(conn, *[(f"e{i}", "UC", f"E{i}", "educational", "science") for i in range(1, 6)],
           *[(f"n{i}", "UC", f"N{i}", "news", "world") for i in range(1, 5)])
    revenue(
        conn,
        # video, channel, day, ad, other, sponsorship, affiliate, ai, api, infra
        ("e1", "UC", "2026-11-20", 300, 0, 0, 0, 100, 0, 0),  # ROI 200
        ("e2", "UC", "2026-11-20", 100, 0, 0, 0, 100, 0, 0),  # 0
        ("e3", "UC", "2026-11-20", 50, 0, 0, 0, 0, 0, 0),  # no cost: no ROI
        ("e4", "UC", "2026-11-20", 100, 0, 0, 0, 200, 0, 0),  # -50
        ("e5", "UC", "2026-11-20", 200, 0, 0, 0, 100, 0, 0),  # 100
        *[(f"n{i}", "UC", "2026-11-20", 100, 0, 0, 0, 10, 0, 0) for i in range(1, 5)],
    )
    rows = run(conn, "q5_roi_by_video_type", "2026-11-25T12:00")
    assert rows == [
        # avg (200 + 0 - 50 + 100) / 4; median of -50, 0, 100, 200; profit 2.50 over 5 videos
        ("educational", "science", 5, D("62.50"), D("50.00"), D("7.50"), D("5.00"), D("2.50"),
         D("0.50")),
    ]


def test_channel_performance_view_covers_the_last_seven_complete_days(warehouse):
    conn = warehouse
    channels(conn, ("UC_A", "Alpha", "active"), ("UC_B", "Beta", "active"),
             ("UC_Z", "Zeta", "active"))
    today = conn.execute("select analytics.warehouse_day_start(analytics.warehouse_day(now()))"
                         ).fetchone()[0]

    def hour(days_before_today, hours_into_day=1):
        stamp = conn.execute("select %s::timestamptz - make_interval(days => %s)"
                             " + make_interval(hours => %s)",
                             (today, days_before_today, hours_into_day)).fetchone()[0]
        return stamp.astimezone(utc("2026-01-01T00:00").tzinfo).strftime("%Y-%m-%dT%H:%M")

    facts(
        conn,
        ("a1", "UC_A", hour(1), 100, 5, 5, 0, 500, 100),
        ("a2", "UC_A", hour(7), 100, 10, 0, 0, 100, 0),
        ("a1", "UC_A", hour(8), 999, 0, 0, 0, 999, 0),  # 8 days ago: outside
        ("a1", "UC_A", hour(0), 999, 0, 0, 0, 999, 0),  # today: incomplete, outside
        ("b1", "UC_B", hour(2), 300, 3, 0, 0, 200, 400),
    )
    refresh_all(conn)
    rows = conn.execute(
        "select channel_id, video_count, total_views, avg_engagement, total_revenue, total_cost,"
        " profit, revenue_rank, views_rank, profit_rank"
        " from analytics.channel_performance_view order by channel_id"
    ).fetchall()
    assert rows == [
        ("UC_A", 2, 200, D("0.1"), D("6.00"), D("1.00"), D("5.00"), 1, 2, 1),
        ("UC_B", 1, 300, D("0.01"), D("2.00"), D("4.00"), D("-2.00"), 2, 1, 3),
        ("UC_Z", 0, 0, None, D(0), D(0), D(0), 3, 3, 2),
    ]


@pytest.mark.parametrize("name", ["q1_channel_performance", "q2_video_performance_trends",
                                  "q3_cost_analysis", "q4_rpm_analysis", "q5_roi_by_video_type"])
def test_queries_answer_on_an_empty_warehouse(warehouse, name):
    rows = run(warehouse, name, "2026-11-25T00:00")
    assert rows == []

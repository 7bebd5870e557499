"""Every spec object computes the right numbers on hand-computed data, on both
database paths. Expected values are worked out in the comments, not by SQL."""

from decimal import Decimal

import psycopg
import pytest

from rows import channels, facts, refresh_all, revenue, utc, videos

D = Decimal
LA_NOV_20 = utc("2026-11-20T08:00")  # midnight in Los Angeles (PST, UTC-8)
LA_NOV_21 = utc("2026-11-21T08:00")


@pytest.fixture
def dataset(warehouse):
    conn = warehouse
    channels(conn, ("UC_A", "Alpha", "active"), ("UC_B", "Beta", "active"),
             ("UC_C", "Gamma", "paused"), ("UC_D", "Delta", "active"))
    videos(conn, ("vA1", "UC_A", "Same Title"), ("vA2", "UC_A", "Same Title"),
           ("vB1", "UC_B", "Other"))
    facts(
        conn,
        # video, channel, hour (UTC), views, likes, comments, shares, revenue, cost
        ("vA1", "UC_A", "2026-11-20T08:00", 100, 10, 5, 5, 250, 40),  # first hour of LA day 20
        ("vA1", "UC_A", "2026-11-20T09:00", 1, 10, 0, 0, 0, 0),  # 1 view, 10 likes
        ("vA2", "UC_A", "2026-11-20T08:00", 0, 0, 0, 0, 0, 0),  # zero views
        ("vA2", "UC_A", "2026-11-21T07:00", 50, 2, 1, 0, 100, 10),  # last hour of LA day 20
        ("vA1", "UC_A", "2026-11-21T08:00", 20, 1, 0, 1, 30, 0),  # first hour of LA day 21
        ("vB1", "UC_B", "2026-11-20T08:00", 10, 1, 1, 0, 5, 100),
        ("vB1", "UC_B", "2026-11-20T10:00", 0, 3, 0, 0, 0, 0),  # likes without views
    )
    revenue(
        conn,
        # video, channel, day, ad, other, sponsorship, affiliate, ai, api, infra
        ("vA1", "UC_A", "2026-11-20", 300, 50, 100, 0, 100, 20, 30),
        ("vA2", "UC_A", "2026-11-20", 0, 0, 0, 0, 0, 0, 0),
        ("vB1", "UC_B", "2026-11-20", 10, 0, 0, 0, 0, 0, 5),
        ("vA1", "UC_A", "2026-11-21", 30, 0, 0, 0, 60, 0, 0),
        ("vB1", "UC_B", "2026-11-19", 2_000_000_000, 2_000_000_000, 0, 0, 1, 0, 0),
    )
    refresh_all(conn)
    return conn


def fetch(conn, query, params=()):
    return conn.execute(query, params).fetchall()


def test_fact_engagement_rate_is_exact_and_null_without_views(dataset):
    rates = dict(fetch(dataset, "select video_id || ' ' || to_char(timestamp at time zone 'UTC',"
                                " 'DD HH24'), engagement_rate from analytics.fact_video_performance"))
    assert rates["vA1 20 08"] == D("0.2000")  # (10 + 5 + 5) / 100
    assert rates["vA1 20 09"] == D("10.0000")  # 1 view, 10 likes: no overflow
    assert rates["vA2 20 08"] is None  # no views: undefined, not 0
    assert rates["vB1 20 10"] is None


def test_fact_rejects_a_second_row_for_the_same_video_hour(dataset):
    with pytest.raises(psycopg.errors.UniqueViolation):
        facts(dataset, ("vA1", "UC_A", "2026-11-20T08:00", 1, 0, 0, 0, 0, 0))


def test_fact_rejects_a_timestamp_off_the_hour(dataset):
    with pytest.raises(psycopg.errors.CheckViolation):
        facts(dataset, ("vA1", "UC_A", "2026-11-22T08:30", 1, 0, 0, 0, 0, 0))


def test_revenue_attribution_totals_profit_and_roi(dataset):
    rows = fetch(dataset, "select video_id, revenue_date::text, total_revenue_cents,"
                          " total_cost_cents, profit_cents, roi_percentage"
                          " from analytics.revenue_attribution order by revenue_date, video_id")
    assert rows == [
        ("vB1", "2026-11-19", 4_000_000_000, 1, 3_999_999_999, D("399999999900.00")),
        ("vA1", "2026-11-20", 450, 150, 300, D("200.00")),
        ("vA2", "2026-11-20", 0, 0, 0, None),  # no cost: ROI undefined, not 0
        ("vB1", "2026-11-20", 10, 5, 5, D("100.00")),
        ("vA1", "2026-11-21", 30, 60, -30, D("-50.00")),
    ]


def test_hourly_channel_metrics(dataset):
    rows = fetch(dataset, "select channel_id, hour, videos_count, total_views,"
                          " avg_engagement_rate, estimated_revenue, total_cost"
                          " from analytics.hourly_channel_metrics order by channel_id, hour")
    assert rows == [
        ("UC_A", utc("2026-11-20T08:00"), 2, 100, D("0.2"), D("2.50"), D("0.40")),
        ("UC_A", utc("2026-11-20T09:00"), 1, 1, D(10), D(0), D(0)),
        ("UC_A", utc("2026-11-21T07:00"), 1, 50, D("0.06"), D("1.00"), D("0.10")),
        ("UC_A", utc("2026-11-21T08:00"), 1, 20, D("0.1"), D("0.30"), D(0)),
        ("UC_B", utc("2026-11-20T08:00"), 1, 10, D("0.2"), D("0.05"), D("1.00")),
        ("UC_B", utc("2026-11-20T10:00"), 1, 0, None, D(0), D(0)),
    ]


def test_mv_recent_performance_sums_increments_per_video_hour(dataset):
    rows = fetch(dataset, "select video_id, hour, views, engagement_rate, revenue_cents"
                          " from analytics.mv_recent_performance"
                          " where channel_id = 'UC_A' order by hour, video_id")
    assert rows == [
        ("vA1", utc("2026-11-20T08:00"), 100, D("0.2"), 250),
        ("vA2", utc("2026-11-20T08:00"), 0, None, 0),
        ("vA1", utc("2026-11-20T09:00"), 1, D(10), 0),
        ("vA2", utc("2026-11-21T07:00"), 50, D("0.06"), 100),
        ("vA1", utc("2026-11-21T08:00"), 20, D("0.1"), 30),
    ]


def test_mv_historical_performance_uses_warehouse_days(dataset):
    rows = fetch(dataset, "select channel_id, day, videos, views, round(avg_engagement, 6),"
                          " revenue, total_cost"
                          " from analytics.mv_historical_performance order by channel_id, day")
    assert rows == [
        # LA day 20: 08:00Z..07:00Z next day; engagement (20 + 10 + 0 + 3) / 151
        ("UC_A", LA_NOV_20, 2, 151, D("0.218543"), D("3.50"), D("0.50")),
        ("UC_A", LA_NOV_21, 1, 20, D("0.100000"), D("0.30"), D(0)),
        ("UC_B", LA_NOV_20, 1, 10, D("0.500000"), D("0.05"), D("1.00")),  # (2 + 3) / 10
    ]


def test_daily_revenue_summary(dataset):
    rows = fetch(dataset, "select revenue_date::text, active_channels, monetized_videos,"
                          " total_revenue, total_cost, total_profit, avg_roi, median_roi, pooled_roi"
                          " from analytics.daily_revenue_summary order by revenue_date")
    assert rows == [
        ("2026-11-19", 1, 1, D("40000000.00"), D("0.01"), D("39999999.99"),
         D("399999999900.00"), 399999999900.0, D("399999999900.00")),
        # ROIs 200 and 100 (vA2 has none); pooled 100 * 305 / 155
        ("2026-11-20", 2, 3, D("4.60"), D("1.55"), D("3.05"), D(150), 150.0, D("196.77")),
        ("2026-11-21", 1, 1, D("0.30"), D("0.60"), D("-0.30"), D(-50), -50.0, D("-50.00")),
    ]


def test_rollups_are_empty_on_an_empty_warehouse(warehouse):
    refresh_all(warehouse)
    for name in ("hourly_channel_metrics", "mv_recent_performance", "mv_historical_performance",
                 "daily_revenue_summary", "channel_performance_view"):
        assert fetch(warehouse, f"select count(*) from analytics.{name}") == [(0,)]  # noqa: S608


def test_freshness(dataset):
    def status(as_of):
        return {r[0]: r[2:] for r in fetch(
            dataset, "select * from analytics.check_data_freshness(%s)", (utc(as_of),))}

    # newest fact hour 2026-11-21T08:00Z; newest YouTube revenue day 2026-11-21
    at_two_hours = status("2026-11-21T10:00")
    assert at_two_hours["fact_video_performance"] == (D("2.00"), "FRESH")
    assert at_two_hours["revenue_attribution"][1] == "FRESH"
    assert status("2026-11-21T10:01")["fact_video_performance"][1] == "WARNING"
    assert status("2026-11-21T14:01")["fact_video_performance"][1] == "STALE"
    # LA day 25 is 4 days after the 21st, LA day 26 five
    assert status("2026-11-25T20:00")["revenue_attribution"][1] == "WARNING"
    assert status("2026-11-26T20:00")["revenue_attribution"][1] == "STALE"
    assert status("2026-11-24T20:00")["revenue_attribution"][1] == "FRESH"
    assert status("2026-11-24T20:00")["cost_tracking"] == (None, "INFO")


def test_revenue_reconciliation(dataset):
    rows = fetch(dataset, "select check_date::text, youtube_revenue, calculated_revenue,"
                          " difference, difference_percentage, status"
                          " from analytics.check_revenue_reconciliation(%s)",
                 (utc("2026-11-23T20:00"),))
    assert rows[:4] == [
        ("2026-11-22", D(0), D(0), D(0), None, "PENDING"),  # after the newest revenue day
        ("2026-11-21", D("0.30"), D("0.30"), D(0), D("0.00"), "OK"),
        # fact 250 + 100 + 5 cents vs attributed 350 + 0 + 10: 1.41 % apart
        ("2026-11-20", D("3.55"), D("3.60"), D("-0.05"), D("-1.41"), "OK"),
        ("2026-11-19", D(0), D("40000000.00"), D("-40000000.00"), None, "MISSING"),
    ]
    assert [r[0] for r in rows[4:]] == ["2026-11-18", "2026-11-17", "2026-11-16", "2026-11-15"]
    assert {r[5] for r in rows[4:]} == {"OK"}


@pytest.mark.parametrize(("attributed", "expected"), [(97, "WARNING"), (95, "WARNING"),
                                                      (94, "MISMATCH"), (98, "OK")])
def test_revenue_reconciliation_thresholds(warehouse, attributed, expected):
    facts(warehouse, ("v", "UC", "2026-11-20T12:00", 1, 0, 0, 0, 10000, 0))
    revenue(warehouse, ("v", "UC", "2026-11-20", attributed * 100, 0, 0, 0, 0, 0, 0))
    rows = fetch(warehouse, "select check_date::text, status from"
                                " analytics.check_revenue_reconciliation(%s)",
                 (utc("2026-11-21T20:00"),))
    assert rows[0] == ("2026-11-20", expected)


def test_missing_data(dataset):
    rows = fetch(dataset, "select * from analytics.check_missing_data(%s)",
                 (utc("2026-11-21T09:30"),))
    # window 2026-11-20T09:00Z .. 2026-11-21T08:00Z; UC_C is paused
    assert rows == [
        ("UC_D", 24, None, "CRITICAL"),
        ("UC_B", 23, utc("2026-11-20T10:00"), "CRITICAL"),
        ("UC_A", 21, utc("2026-11-21T08:00"), "CRITICAL"),
    ]


@pytest.mark.parametrize(("hours_present", "expected"), [(17, "WARNING"), (18, "OK"),
                                                         (11, "CRITICAL"), (12, "WARNING")])
def test_missing_data_thresholds(warehouse, hours_present, expected):
    channels(warehouse, ("UC", "Chan", "active"))
    facts(warehouse, *[("v", "UC", f"2026-11-21T{h:02d}:00", 1, 0, 0, 0, 0, 0)
                           for h in range(hours_present)])
    rows = fetch(warehouse, "select missing_hours, status from analytics.check_missing_data(%s)",
                 (utc("2026-11-22T00:10"),))
    assert rows == [(24 - hours_present, expected)]


def test_missing_data_is_silent_for_a_complete_day(warehouse):
    channels(warehouse, ("UC", "Chan", "active"))
    facts(warehouse, *[("v", "UC", f"2026-11-21T{h:02d}:00", 0, 0, 0, 0, 0, 0)
                           for h in range(24)])
    assert fetch(warehouse, "select * from analytics.check_missing_data(%s)",
                 (utc("2026-11-22T00:59"),)) == []


def _log(conn, name, ms, minutes_ago, success=True, kind="query", run_id=None, try_number=None):
    conn.execute(
        "insert into analytics.query_performance_log (query_name, execution_time_ms, success,"
        " kind, run_id, try_number, timestamp) values (%s, %s, %s, %s, %s, %s,"
        " %s::timestamptz - make_interval(mins => %s))",
        (name, ms, success, kind, run_id, try_number, utc("2026-11-21T12:00"), minutes_ago),
    )


def test_slow_queries(warehouse):
    conn = warehouse
    for ms in (600, 400):
        _log(conn, "q_fast", ms, 30)  # average 500: not above 500
    _log(conn, "q_warn", 1500, 30)
    _log(conn, "q_crit", 2500, 30)
    _log(conn, "q_old", 9999, 61)  # outside the hour
    for i in range(10):
        _log(conn, "q_flaky", 100, 20, success=i > 0)  # 10 % failures: WARNING, not CRITICAL
    _log(conn, "refresh_x", 400_000, 30, False, "step", "r1", 1)  # failed, then
    _log(conn, "refresh_x", 1_000, 10, True, "step", "r1", 2)  # succeeded on retry
    _log(conn, "load_y", 70_000, 10, True, "step", "r2", 1)  # over the 60 s budget
    _log(conn, "check_z", 10, 10, False, "step", "r3", 1)  # failed for good
    conn.execute("insert into analytics.step_budgets values ('load_special%%', 1000, 2000)")
    _log(conn, "load_special_1", 1500, 10, True, "step", "r4", 1)
    rows = fetch(conn, "select * from analytics.check_slow_queries(%s)", (utc("2026-11-21T12:00"),))
    assert sorted(rows) == sorted([
        ("CRITICAL", "q_crit", D("2500.00"), D(2500), D("0.00")),
        ("WARNING", "q_warn", D("1500.00"), D(1500), D("0.00")),
        ("WARNING", "q_flaky", D("100.00"), D(100), D("10.00")),
        ("WARNING", "load_y", D("70000.00"), D(70000), D("0.00")),
        ("CRITICAL", "check_z", D("10.00"), D(10), D("100.00")),
        ("WARNING", "load_special_1", D("1500.00"), D(1500), D("0.00")),
    ])


def test_log_query_performance_measures_hours(warehouse):
    warehouse.execute(
        "select analytics.log_query_performance('long_step',"
        " clock_timestamp() - interval '2 hours 3 minutes 4.5 seconds', 7)"
    )
    ms, rows, ok = warehouse.execute(
        "select execution_time_ms, rows_returned, success from analytics.query_performance_log"
    ).fetchone()
    assert 7_384_500 <= ms < 7_384_500 + 1_000
    assert (rows, ok) == (7, True)


def test_get_slow_queries_reports_pg_stat_statements(warehouse):
    warehouse.execute("select pg_sleep(1.05) /* analytics slow probe */")
    rows = fetch(warehouse, "select query, calls, mean_time from analytics.get_slow_queries()")
    assert any("slow probe" in q and calls == 1 and mean > 1000 for q, calls, mean in rows)


def test_get_slow_queries_without_pg_stat_statements(warehouse):
    warehouse.execute("drop extension pg_stat_statements")
    assert fetch(warehouse, "select * from analytics.get_slow_queries()") == []


def test_revenue_reconciliation_keeps_seven_days_when_the_newest_is_today(warehouse):
    revenue(warehouse, ("v", "UC", "2026-11-21", 100, 0, 0, 0, 0, 0, 0))
    days = fetch(warehouse, "select check_date::text, status from"
                                " analytics.check_revenue_reconciliation(%s)",
                 (utc("2026-11-21T20:00"),))  # LA day 21
    assert [d for d, _ in days] == [f"2026-11-{n}" for n in range(21, 14, -1)]
    assert days[0][1] == "MISSING"  # no fact revenue that day


def test_missing_data_counts_from_the_hour_after_registration(warehouse):
    warehouse.execute("insert into analytics.dim_channel (channel_id, channel_name, created_at)"
                          " values ('UC_NEW', 'New', %s)", (utc("2026-11-21T10:30"),))
    facts(warehouse, ("v", "UC_NEW", "2026-11-21T11:00", 1, 0, 0, 0, 0, 0))
    # window ends at 18:00; expected hours 11:00 .. 17:00 (7), one present
    rows = fetch(warehouse, "select channel_id, missing_hours, status"
                                " from analytics.check_missing_data(%s)", (utc("2026-11-21T18:05"),))
    assert rows == [("UC_NEW", 6, "OK")]
    registered_this_hour = fetch(warehouse, "select * from analytics.check_missing_data(%s)",
                                 (utc("2026-11-21T10:50"),))
    assert registered_this_hour == []

"""Warehouse scenarios for the quality checks, and the checks' rows on each of them.

`build_clean` writes a small, hand-computable warehouse around a logical time T:
two active channels with two videos each, a fact row for every video and every one
of the 24 complete hours before T, YouTube revenue for the warehouse days D-8..D-2
(D = T's warehouse day) that agrees everywhere (fact, revenue_attribution,
yt_video_daily, yt_channel_daily), and a few logged queries. The defect functions
break exactly one thing each. Other test modules import these builders.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import psycopg
import pytest

from ytempire.quality import runner
from ytempire.steplog import TaskRun

T = datetime(2026, 6, 15, 17, 20, tzinfo=UTC)  # 10:20 in Los Angeles (PDT)
PACIFIC = ZoneInfo("America/Los_Angeles")
CHANNELS = {
    "UC_alpha": ("Alpha Channel", ("vid_a1", "vid_a2")),
    "UC_beta": ("Beta Channel", ("vid_b1", "vid_b2")),
}
VIDEOS = {v: c for c, (_, videos) in CHANNELS.items() for v in videos}
REVENUE_DAYS = 7  # D-8 .. D-2

_DATA_TABLES = (
    "fact_video_performance", "revenue_attribution", "yt_video_daily", "yt_channel_daily",
    "query_performance_log", "cost_tracking", "partner_revenue", "dim_video", "dim_channel",
    "forecast_backtest",
)


def hour_start(ts: datetime) -> datetime:
    return ts.replace(minute=0, second=0, microsecond=0)


def warehouse_day(ts: datetime) -> date:
    return ts.astimezone(PACIFIC).date()


def day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=PACIFIC).astimezone(UTC)


def revenue_days(as_of: datetime) -> list[date]:
    today = warehouse_day(as_of)
    return [today - timedelta(days=n) for n in range(REVENUE_DAYS + 1, 1, -1)]


def video_revenue_cents(video_id: str, day: date) -> tuple[int, int]:
    """(ad, other) cents of a video on a day: distinct, hand-checkable numbers."""
    index = sorted(VIDEOS).index(video_id) + 1
    return 100 * index + day.day, 10 * index


def build_clean(conn: psycopg.Connection, as_of: datetime = T) -> None:
    """Replace every data table's rows with the clean scenario (results and alert
    state are kept: they are what the runs under test produce)."""
    conn.execute(
        "truncate "
        + ", ".join(f"analytics.{t}" for t in _DATA_TABLES)
        + " restart identity cascade"
    )
    for channel_id, (name, videos) in CHANNELS.items():
        conn.execute(
            "insert into analytics.dim_channel (channel_id, channel_name, status, "
            "monetization_enabled, created_at) values (%s, %s, 'active', true, '2026-01-01Z')",
            (channel_id, name),
        )
        for video_id in videos:
            conn.execute(
                "insert into analytics.dim_video (video_id, channel_id, title) "
                "values (%s, %s, %s)",
                (video_id, channel_id, f"Video {video_id}"),
            )
    last_hour = hour_start(as_of) - timedelta(hours=1)
    fact = []
    for video_id, channel_id in VIDEOS.items():
        for n in range(24):
            fact.append((video_id, channel_id, last_hour - timedelta(hours=n), 10, 0))
        for day in revenue_days(as_of):
            ad, other = video_revenue_cents(video_id, day)
            fact.append((video_id, channel_id, day_start(day), 5, ad + other))
    with conn.cursor() as cur:
        cur.executemany(
            "insert into analytics.fact_video_performance (video_id, channel_id, timestamp, "
            "views, estimated_revenue_cents) values (%s, %s, %s, %s, %s)",
            fact,
        )
        for day in revenue_days(as_of):
            for channel_id, (_, videos) in CHANNELS.items():
                total_rev = Decimal(0)
                total_ad = Decimal(0)
                for video_id in videos:
                    ad, other = video_revenue_cents(video_id, day)
                    cur.execute(
                        "insert into analytics.revenue_attribution (video_id, channel_id, "
                        "revenue_date, ad_revenue_cents, other_revenue_cents) "
                        "values (%s, %s, %s, %s, %s)",
                        (video_id, channel_id, day, ad, other),
                    )
                    revenue = Decimal(ad + other) / 100
                    cur.execute(
                        "insert into analytics.yt_video_daily (video_id, day, channel_id, views, "
                        "likes, dislikes, comments, shares, estimated_minutes_watched, "
                        "average_view_duration, estimated_revenue, estimated_ad_revenue) "
                        "values (%s, %s, %s, 100, 1, 0, 1, 0, 50, 30, %s, %s)",
                        (video_id, day, channel_id, revenue, Decimal(ad) / 100),
                    )
                    total_rev += revenue
                    total_ad += Decimal(ad) / 100
                cur.execute(
                    "insert into analytics.yt_channel_daily (channel_id, day, views, "
                    "estimated_minutes_watched, estimated_revenue, estimated_ad_revenue) "
                    "values (%s, %s, %s, %s, %s, %s)",
                    (channel_id, day, 100 * len(videos), 50 * len(videos), total_rev, total_ad),
                )
        cur.executemany(
            "insert into analytics.query_performance_log (query_name, execution_time_ms, "
            "rows_returned, timestamp, success) values (%s, %s, 10, %s, true)",
            [
                ("dashboard_overview", 120, as_of - timedelta(minutes=30)),
                ("dashboard_channel_detail", 700, as_of - timedelta(minutes=20)),
                ("dashboard_trends", 1500, as_of - timedelta(minutes=10)),  # WARNING
            ],
        )
        cur.execute(
            "insert into analytics.cost_tracking (external_ref, video_id, channel_id, cost_type, "
            "cost_cents, timestamp) values ('c-1', 'vid_a1', 'UC_alpha', 'voice_synthesis', 250, %s)",
            (day_start(revenue_days(as_of)[-1]) + timedelta(hours=3),),
        )


# ---- defects: each breaks one thing ---------------------------------------------------------


def make_stale(conn: psycopg.Connection, as_of: datetime = T) -> None:
    """No fact rows in the last 8 hours: newest hour 9 h 20 min old (STALE); 8 missing
    hours per channel is only WARNING."""
    conn.execute(
        "delete from analytics.fact_video_performance where timestamp >= %s",
        (hour_start(as_of) - timedelta(hours=8),),
    )


def make_revenue_mismatch(conn: psycopg.Connection, as_of: datetime = T) -> date:
    """Attributed YouTube revenue of warehouse day D-3 is $4.00 too high (about 35 %:
    MISMATCH): vid_a1's ad revenue that day was attributed with 400 cents extra."""
    day = warehouse_day(as_of) - timedelta(days=3)
    conn.execute(
        "update analytics.revenue_attribution set ad_revenue_cents = ad_revenue_cents + 400 "
        "where revenue_date = %s and video_id = 'vid_a1'",
        (day,),
    )
    return day


def make_revenue_missing(conn: psycopg.Connection, as_of: datetime = T) -> date:
    """No attribution rows on warehouse day D-5 while the fact table has its revenue
    (MISSING)."""
    day = warehouse_day(as_of) - timedelta(days=5)
    conn.execute("delete from analytics.revenue_attribution where revenue_date = %s", (day,))
    return day


def make_missed_video(conn: psycopg.Connection, as_of: datetime = T) -> date:
    """The loader missed vid_b2 on YouTube day D-4: UC_beta's total is higher than its
    video rows (per-channel MISMATCH)."""
    day = warehouse_day(as_of) - timedelta(days=4)
    conn.execute(
        "delete from analytics.yt_video_daily where video_id = 'vid_b2' and day = %s", (day,)
    )
    return day


def make_missing_hours(
    conn: psycopg.Connection, as_of: datetime = T, channel_id: str = "UC_beta", hours: int = 13
) -> None:
    """The channel has no fact row in the oldest `hours` of the last 24 complete hours."""
    start = hour_start(as_of) - timedelta(hours=24)
    conn.execute(
        "delete from analytics.fact_video_performance where channel_id = %s "
        "and timestamp >= %s and timestamp < %s",
        (channel_id, start, start + timedelta(hours=hours)),
    )


def make_slow_query(conn: psycopg.Connection, as_of: datetime = T) -> None:
    """A dashboard query averaging 2.5 s in the last hour (CRITICAL)."""
    conn.execute(
        "insert into analytics.query_performance_log (query_name, execution_time_ms, "
        "rows_returned, timestamp, success) values ('dashboard_revenue', 2500, 5, %s, true)",
        (as_of - timedelta(minutes=5),),
    )


def make_negative_cost(conn: psycopg.Connection, as_of: datetime = T) -> None:
    """A negative cost in the attribution (integrity VIOLATION)."""
    conn.execute(
        "update analytics.revenue_attribution set api_cost_cents = -40 "
        "where video_id = 'vid_a2' and revenue_date = %s",
        (revenue_days(as_of)[-1],),
    )


def make_forecast_degraded(conn: psycopg.Connection, as_of: datetime = T) -> None:
    """UC_beta's views back-test: every model errs by 10 a day from seven origins and by
    50 from the newest (5 times as much: DEGRADED)."""
    through = warehouse_day(as_of) - timedelta(days=3)
    rows = []
    for model in ("auto_ets", "auto_theta", "seasonal_naive"):
        for k in range(1, 9):
            origin = through - timedelta(days=7 * k)
            for h in range(1, 8):
                error = 50 if k == 1 else 10 + (model == "seasonal_naive")
                rows.append(("UC_beta", "views", model, origin, origin + timedelta(days=h), h,
                             1000 + error, 1000, 900, 1100, 800, 1200, through))
    with conn.cursor() as cur:
        cur.executemany(
            "insert into analytics.forecast_backtest (channel_id, metric, model, origin_date, "
            "target_date, horizon_days, actual, point, lo_80, hi_80, lo_95, hi_95, "
            "backtest_through) values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            rows)


DEFECTS = {
    "clean": lambda conn, as_of=T: None,
    "stale": make_stale,
    "revenue_mismatch": make_revenue_mismatch,
    "revenue_missing": make_revenue_missing,
    "missed_video": make_missed_video,
    "missing_hours": make_missing_hours,
    "slow_query": make_slow_query,
    "negative_cost": make_negative_cost,
    "forecast_degraded": make_forecast_degraded,
}


def build(conn: psycopg.Connection, scenario: str, as_of: datetime = T) -> None:
    build_clean(conn, as_of)
    DEFECTS[scenario](conn, as_of)


def run_checks(conn: psycopg.Connection, run_id: str, as_of: datetime = T) -> dict[str, list]:
    """Every SQL check through the runner (as the DAG's tasks do); rows by check."""
    out = {}
    for check in runner.REGISTRY.sql_checks:
        runner.run_sql_check(conn, check.name, TaskRun(f"test.{check.task_id}", run_id), as_of)
        out[check.name] = conn.execute(
            "select check_key, status, details from analytics.quality_check_results "
            "where run_id = %s and check_name = %s order by check_key",
            (run_id, check.name),
        ).fetchall()
    return out


def statuses(rows) -> dict[str, str]:
    return {key: status for key, status, _ in rows}


# ---- the checks on each scenario ------------------------------------------------------------


@pytest.fixture
def wh(warehouse):
    """The fresh warehouse, in autocommit: each check runs in its own transaction."""
    return warehouse


def test_clean_scenario_is_clean_by_hand(wh):
    build(wh, "clean")
    rows = run_checks(wh, "run_clean")
    assert statuses(rows["data_freshness"]) == {
        "fact_video_performance": "FRESH",
        "revenue_attribution": "FRESH",
        "cost_tracking": "INFO",
        "partner_revenue": "INFO",
    }
    fresh = {k: d for k, _, d in rows["data_freshness"]}
    # Newest fact hour 16:00 UTC, judged at 17:20: 1 h 20 min.
    assert Decimal(str(fresh["fact_video_performance"]["hours_since_update"])) == Decimal("1.33")
    days = revenue_days(T)
    # D-8..D-2 compared and OK; D-1 (after the newest revenue day) PENDING.
    assert statuses(rows["revenue_reconciliation"]) == {
        **{d.isoformat(): "OK" for d in days},
        (days[-1] + timedelta(days=1)).isoformat(): "PENDING",
    }
    assert statuses(rows["channel_revenue_reconciliation"]) == {
        f"{c} {d.isoformat()}": "OK" for c in CHANNELS for d in days
    }
    assert rows["missing_data"] == []
    assert statuses(rows["slow_queries"]) == {
        "dashboard_trends": "WARNING", "dashboard_channel_detail": "OK",
    }


def test_hand_computed_reconciliation_day(wh):
    build(wh, "clean")
    day = revenue_days(T)[0]
    rows = {k: d for k, _, d in run_checks(wh, "run_x")["revenue_reconciliation"]}
    # Four videos (index 1..4): ad = 100 i + day, other = 10 i.
    expected_cents = sum(100 * i + day.day + 10 * i for i in range(1, 5))
    detail = rows[day.isoformat()]
    assert Decimal(str(detail["youtube_revenue"])) == Decimal(expected_cents) / 100
    assert Decimal(str(detail["calculated_revenue"])) == Decimal(expected_cents) / 100
    assert Decimal(str(detail["difference"])) == 0


@pytest.mark.parametrize(
    ("scenario", "check", "expected"),
    [
        ("stale", "data_freshness", {"fact_video_performance": "STALE"}),
        ("stale", "missing_data", {"UC_alpha": "WARNING", "UC_beta": "WARNING"}),
        ("missing_hours", "missing_data", {"UC_beta": "CRITICAL"}),
        ("slow_query", "slow_queries", {"dashboard_revenue": "CRITICAL"}),
        ("forecast_degraded", "forecast_accuracy", {"UC_beta views": "DEGRADED"}),
        ("revenue_missing", "revenue_reconciliation",
         {(warehouse_day(T) - timedelta(days=5)).isoformat(): "MISSING"}),
    ],
)
def test_defect_gives_the_expected_status(wh, scenario, check, expected):
    build(wh, scenario)
    found = statuses(run_checks(wh, f"run_{scenario}")[check])
    assert {k: found.get(k) for k in expected} == expected


def test_stale_is_judged_against_the_logical_time_not_the_clock(wh):
    build(wh, "clean")
    # Two hours later, with no new data: the same rows are 3 h 20 min old.
    later = run_checks(wh, "run_later", T + timedelta(hours=2))
    assert statuses(later["data_freshness"])["fact_video_performance"] == "WARNING"
    much_later = run_checks(wh, "run_much_later", T + timedelta(hours=6))
    assert statuses(much_later["data_freshness"])["fact_video_performance"] == "STALE"


def test_revenue_mismatch_names_the_day(wh):
    build_clean(wh)
    day = make_revenue_mismatch(wh)
    rows = run_checks(wh, "run_mismatch")
    found = statuses(rows["revenue_reconciliation"])
    assert found[day.isoformat()] == "MISMATCH"
    assert [k for k, s in found.items() if s not in ("OK", "PENDING")] == [day.isoformat()]
    detail = {k: d for k, _, d in rows["revenue_reconciliation"]}[day.isoformat()]
    total = sum(sum(video_revenue_cents(v, day)) for v in VIDEOS)  # 1,148 cents on D-3
    assert Decimal(str(detail["difference"])) == Decimal("-4.00")
    assert Decimal(str(detail["difference_percentage"])) == round(Decimal(-40000) / total, 2)
    # The YouTube landing tables still agree with each other.
    assert set(statuses(rows["channel_revenue_reconciliation"]).values()) == {"OK"}


def test_missed_video_is_a_channel_mismatch(wh):
    build_clean(wh)
    day = make_missed_video(wh)
    rows = run_checks(wh, "run_missed")
    found = statuses(rows["channel_revenue_reconciliation"])
    assert {k: s for k, s in found.items() if s != "OK"} == {f"UC_beta {day}": "MISMATCH"}
    detail = {k: d for k, _, d in rows["channel_revenue_reconciliation"]}[f"UC_beta {day}"]
    b1_ad, b1_other = video_revenue_cents("vid_b1", day)
    b2_ad, b2_other = video_revenue_cents("vid_b2", day)
    assert Decimal(str(detail["videos_revenue"])) == Decimal(b1_ad + b1_other) / 100
    assert Decimal(str(detail["channel_revenue"])) == Decimal(
        b1_ad + b1_other + b2_ad + b2_other) / 100
    assert (detail["channel_views"], detail["videos_views"], detail["video_rows"]) == (200, 100, 1)
    assert detail["channel_name"] == "Beta Channel"


def test_channel_total_not_landed_is_missing(wh):
    build_clean(wh)
    day = revenue_days(T)[2]
    wh.execute(
        "delete from analytics.yt_channel_daily where channel_id = 'UC_alpha' and day = %s",
        (day,),
    )
    found = statuses(run_checks(wh, "run_no_total")["channel_revenue_reconciliation"])
    assert {k: s for k, s in found.items() if s != "OK"} == {f"UC_alpha {day}": "MISSING"}


def test_channel_reconciliation_thresholds_and_rounding(wh):
    build_clean(wh)
    day = revenue_days(T)[-1]
    cents = sum(sum(video_revenue_cents(v, day)) for v in CHANNELS["UC_alpha"][1])
    # +0.4 cent of rounding is nothing; +3 % is WARNING; +6 % is MISMATCH.
    for delta, expected in ((Decimal("0.004"), "OK"), (Decimal(cents) * 3 / 10000, "WARNING"),
                            (Decimal(cents) * 6 / 10000, "MISMATCH")):
        wh.execute(
            "update analytics.yt_channel_daily set estimated_revenue = %s "
            "where channel_id = 'UC_alpha' and day = %s",
            (Decimal(cents) / 100 + delta, day),
        )
        found = statuses(run_checks(wh, f"run_{expected}")["channel_revenue_reconciliation"])
        assert found[f"UC_alpha {day}"] == expected, delta


def test_rerunning_a_run_replaces_its_rows(wh):
    build(wh, "missing_hours")
    run_checks(wh, "run_same")
    make_missing_hours(wh, channel_id="UC_alpha", hours=7)
    run_checks(wh, "run_same")
    rows = wh.execute(
        "select check_key, status, count(*) from analytics.quality_check_results "
        "where run_id = 'run_same' and check_name = 'missing_data' group by 1, 2 order by 1"
    ).fetchall()
    assert rows == [("UC_alpha", "WARNING", 1), ("UC_beta", "CRITICAL", 1)]
    per_check = wh.execute(
        "select check_name, count(*) from analytics.quality_check_results "
        "where run_id = 'run_same' group by 1"
    ).fetchall()
    assert dict(per_check)["data_freshness"] == 4


def test_check_steps_are_logged_for_the_slow_query_check(wh):
    build(wh, "clean")
    run_checks(wh, "run_logged")
    logged = wh.execute(
        "select query_name, kind, run_id, success from analytics.query_performance_log "
        "where kind = 'step' order by query_name"
    ).fetchall()
    assert [r[0] for r in logged] == sorted(f"test.{c.task_id}" for c in runner.REGISTRY.sql_checks)
    assert all(r[1:] == ("step", "run_logged", True) for r in logged)


@pytest.mark.parametrize(
    ("scenario", "check", "key", "status"),
    [
        ("clean", "data_freshness", "fact_video_performance", "FRESH"),
        ("stale", "data_freshness", "fact_video_performance", "STALE"),
        ("missing_hours", "missing_data", "UC_beta", "CRITICAL"),
        ("missed_video", "channel_revenue_reconciliation",
         f"UC_beta {warehouse_day(T) - timedelta(days=4)}", "MISMATCH"),
    ],
)
def test_the_checks_run_unchanged_on_both_database_paths(warehouse, scenario, check, key,
                                                         status):
    build(warehouse, scenario)
    assert statuses(run_checks(warehouse, f"run_{scenario}")[check])[key] == status

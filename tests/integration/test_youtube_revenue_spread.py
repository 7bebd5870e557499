"""The SQL of one channel-day load (include/sql/youtube/revenue/) on given rows:
the spread over hourly fact rows, channel-cost allocation, unallocated costs,
re-loads and late inputs. Expected values come from the test's own rows and an
independent largest-remainder helper."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from revenue_expect import HOUR, day_hours, fact_hours, largest_remainder, noon

from ytempire.quarantine import Rejected
from ytempire.steplog import TaskRun
from ytempire.warehouse import sql_file
from ytempire.youtube.channels import Channel
from ytempire.youtube.revenue import write
from ytempire.youtube.revenue.parse import ChangedInputs, DayFigures, ParsedRows
from ytempire.youtube.runner import write_unit

from rows import channels, insert, videos

CH = "UCspread000000000000000"
OTHER = "UCother0000000000000000"
DAY = date(2026, 11, 10)


def given_channels(conn):
    channels(conn, (CH, "Spread", "active"), (OTHER, "Other", "active"))
    videos(conn, ("vidA", CH, "A"), ("vidB", CH, "B"), ("vidC", CH, "C"), ("vidO", OTHER, "O"))
    return conn


@pytest.fixture
def wh(warehouse):
    return given_channels(warehouse)


def figures(views=100, dislikes=7, shares=5, minutes=Decimal("123"), avd=Decimal("74"),
            revenue: Decimal | None = Decimal("2.675"), ad: Decimal | None = Decimal("0.125")):
    out = {"views": views, "likes": 3, "dislikes": dislikes, "comments": 2, "shares": shares,
           "estimatedMinutesWatched": minutes, "averageViewDuration": avd}
    if revenue is not None:
        out |= {"estimatedRevenue": revenue, "estimatedAdRevenue": ad}
    return out


def write_as_the_runner_does(conn, channel_id, unit):
    return write_unit(conn, write.write, Channel(channel_id, "youtube_default", True), unit,
                      TaskRun("test", "test"))


def mark(conn) -> int:
    return conn.execute(sql_file("youtube/revenue/invalidation_mark.sql")).fetchone()[0]


def load(conn, day, rows: dict, channel_id=CH, rejected=(), channel_row=None):
    parsed = ParsedRows(good=dict(rows), rejected=list(rejected), received=len(rows) + len(rejected))
    return write_as_the_runner_does(conn, channel_id,
                                    DayFigures(day, channel_row, [], parsed, mark(conn)))


def reattribute(conn, day, channel_id=CH):
    return write_as_the_runner_does(conn, channel_id, ChangedInputs(day, mark(conn)))


def hourly(conn, video_id, hours_views, channel_id=CH):
    insert(conn, "fact_video_performance", [
        {"video_id": video_id, "channel_id": channel_id, "timestamp": h, "views": v,
         "likes": 1, "comments": 2} for h, v in hours_views])


def costs(conn, *specs):
    """(video_id, channel_id, day, cost_type, cents)."""
    insert(conn, "cost_tracking", [
        {"external_ref": f"cost-{uuid.uuid4().hex}", "video_id": v, "channel_id": c,
         "cost_type": t, "cost_cents": n, "timestamp": noon(d)}
        for v, c, d, t, n in specs])


def attribution(conn, day=DAY) -> dict:
    return {vid: rest for vid, *rest in conn.execute(
        "select video_id, ad_revenue_cents, sponsorship_revenue_cents, affiliate_revenue_cents, "
        "other_revenue_cents, ai_cost_cents, api_cost_cents, infrastructure_cost_cents "
        "from analytics.revenue_attribution where revenue_date = %s", (day,))}


def test_a_dst_day_of_25_hours_is_spread_exactly_and_views_become_youtubes(wh):
    fall_back = date(2026, 11, 1)
    hours = day_hours(fall_back)
    assert len(hours) == 25 and hours[0] == datetime(2026, 11, 1, 7, tzinfo=UTC)
    views = [(7 * i) % 11 - 3 for i in range(25)]  # some negative (spam removal)
    hourly(wh, "vidA", list(zip(hours, views, strict=True)))
    a = figures(dislikes=13, shares=9, minutes=Decimal("1234.57"), avd=Decimal("61"),
                revenue=Decimal("10.005"), ad=Decimal("3.335"))
    load(wh, fall_back, {"vidA": a, "vidB": figures(revenue=Decimal("0.004"), ad=Decimal("0"))})

    rows = fact_hours(wh, "vidA", fall_back)
    # views, likes and comments become YouTube's, shaped by the counter increments
    assert [r[0] for r in rows] == hours
    final = largest_remainder(100, views)  # the rest follows the final views
    assert [r[1] for r in rows] == final
    assert [r[2] for r in rows] == largest_remainder(3, final)
    assert [r[3] for r in rows] == largest_remainder(2, final)
    assert [r[4] for r in rows] == largest_remainder(13, final)
    assert [r[5] for r in rows] == largest_remainder(9, final)
    assert [r[6] for r in rows] == [Decimal(n) / 100 for n in largest_remainder(123457, final)]
    assert {r[7] for r in rows} == {Decimal("61")}
    assert [r[8] for r in rows] == largest_remainder(1001, final)  # 10.005 -> 1001 cents
    assert sum(r[8] for r in rows) == 1001
    # no hourly row: a daily row at the day's first hour (07:00 UTC on this day) holds the day
    assert [(r[0], r[1], r[2], r[3], r[8]) for r in fact_hours(wh, "vidB", fall_back)] == [
        (hours[0], 100, 3, 2, 0)]
    assert wh.execute("select video_id, daily_row from analytics.fact_video_performance "
                      "where daily_row").fetchall() == [("vidB", True)]
    assert attribution(wh, fall_back)["vidA"] == [334, 0, 0, 667, 0, 0, 0]


def test_a_reload_replaces_the_spread_and_drops_what_youtube_no_longer_reports(wh):
    hours = day_hours(DAY)
    hourly(wh, "vidA", [(hours[2], 4), (hours[5], 4)])
    hourly(wh, "vidB", [(hours[1], 10)])
    load(wh, DAY, {"vidA": figures(dislikes=3), "vidB": figures(dislikes=8)})
    assert [r[4] for r in fact_hours(wh, "vidA", DAY)] == [2, 1]  # tie: the earlier hour

    load(wh, DAY, {"vidA": figures(dislikes=5, revenue=Decimal("1"), ad=Decimal("1"))})
    assert [r[4] for r in fact_hours(wh, "vidA", DAY)] == [3, 2]
    assert [r[8] for r in fact_hours(wh, "vidA", DAY)] == [50, 50]
    # vidB is gone from YouTube's answer: its row, spread and attribution go too
    assert [(r[4], r[5], r[6], r[7], r[8]) for r in fact_hours(wh, "vidB", DAY)] == [
        (0, 0, 0, 0, 0)]
    assert wh.execute("select video_id from analytics.yt_video_daily").fetchall() == [("vidA",)]
    assert set(attribution(wh)) == {"vidA"}


def test_a_rejected_row_keeps_the_videos_earlier_figures(wh):
    load(wh, DAY, {"vidA": figures(), "vidB": figures(views=5)})
    bad = Rejected("views is negative: -1", {"row": ["vidB", -1]}, CH, "vidB", DAY)
    load(wh, DAY, {"vidA": figures()}, rejected=[bad])
    assert {r[0] for r in wh.execute("select video_id from analytics.yt_video_daily")} == {
        "vidA", "vidB"}
    assert wh.execute("select video_id, reason from analytics.load_quarantine").fetchall() == [
        ("vidB", "views is negative: -1")]


def test_channel_costs_follow_views_by_largest_remainder(wh):
    hours = day_hours(DAY)
    hourly(wh, "vidA", [(hours[0], 10), (hours[1], -4)])
    hourly(wh, "vidB", [(hours[3], 20)])
    hourly(wh, "vidC", [(hours[3], 0)])
    hourly(wh, "vidO", [(hours[3], 1000)], channel_id=OTHER)  # another channel's views
    costs(wh, (None, CH, DAY, "api_calls", 100), (None, CH, DAY, "voice_synthesis", 1),
          (None, CH, DAY, "storage", -7), ("vidC", CH, DAY, "ai_generation", 40))
    load(wh, DAY, {})
    got = attribution(wh)
    assert got["vidA"][5] == largest_remainder(100, [10, 20, 0])[0] == 33
    assert got["vidB"][5] == 67 and got["vidC"][5] == 0
    assert [got[v][4] for v in ("vidA", "vidB", "vidC")] == [0, 1, 40]
    assert [got[v][6] for v in ("vidA", "vidB", "vidC")] == largest_remainder(-7, [10, 20, 0])
    assert "vidO" not in got
    # the fact table carries the same costs, over each video's hours by views
    assert [r[9] for r in fact_hours(wh, "vidA", DAY)] == largest_remainder(sum(got["vidA"][4:]),
                                                                             [10, -4])
    assert [r[9] for r in fact_hours(wh, "vidC", DAY)] == [40]


def test_channel_costs_without_views_go_evenly_ties_by_video_id(wh):
    hours = day_hours(DAY)
    for vid in ("vidC", "vidA", "vidB"):
        hourly(wh, vid, [(hours[4], 0)])
    costs(wh, (None, CH, DAY, "hosting", 11))
    load(wh, DAY, {})
    assert [attribution(wh)[v][6] for v in ("vidA", "vidB", "vidC")] == [4, 4, 3]


def test_channel_costs_without_any_fact_row_are_kept_unallocated_until_one_exists(wh):
    costs(wh, (None, CH, DAY, "ai_generation", 300), (None, CH, DAY, "api_calls", 20))
    reattribute(wh, DAY)
    assert wh.execute("select channel_id, revenue_date, ai_cost_cents, api_cost_cents, "
                      "total_cost_cents, cost_rows from analytics.unallocated_cost").fetchall() == [
        (CH, DAY, 300, 20, 320, 2)]
    assert attribution(wh) == {}

    load(wh, DAY, {"vidB": figures()})  # YouTube reports a video: the costs find a home
    assert wh.execute("select count(*) from analytics.unallocated_cost").fetchone()[0] == 0
    assert attribution(wh)["vidB"][4:6] == [300, 20]


def test_inputs_are_logged_and_an_unknown_videos_inputs_wait_for_dim_video(wh):
    insert(wh, "partner_revenue", [
        {"video_id": "vidNEW", "revenue_date": DAY, "kind": "sponsorship", "amount_cents": 900,
         "source": "test", "external_ref": "x-1"}])
    costs(wh, ("vidNEW", None, DAY, "ai_generation", 120))
    pending = wh.execute("select source, reason from analytics.unattributed_inputs order by 1"
                         ).fetchall()
    assert pending == [("cost_tracking", "video not in dim_video and no channel_id"),
                       ("partner_revenue", "video not in dim_video")]
    reattribute(wh, DAY)  # nothing resolves to the channel yet
    assert attribution(wh) == {}
    assert wh.execute("select count(*) from analytics.revenue_input_invalidation").fetchone()[0] == 2

    videos(wh, ("vidNEW", CH, "published at last"))
    days_ = [r[0] for r in wh.execute(sql_file("youtube/revenue/invalidated_days.sql"),
                                      {"channel_id": CH, "mark": 10**9})]
    assert days_ == [DAY]
    reattribute(wh, DAY)
    assert attribution(wh)["vidNEW"] == [0, 900, 0, 0, 120, 0, 0]
    assert [(r[0], r[9]) for r in fact_hours(wh, "vidNEW", DAY)] == [(day_hours(DAY)[0], 120)]
    assert wh.execute("select count(*) from analytics.revenue_input_invalidation").fetchone()[0] == 0
    assert wh.execute("select count(*) from analytics.unattributed_inputs").fetchone()[0] == 0


def test_changes_to_costs_and_partner_revenue_are_logged_by_day(wh):
    costs(wh, ("vidA", CH, DAY, "ai_generation", 1))
    wh.execute("update analytics.cost_tracking set timestamp = timestamp + interval '1 day'")
    wh.execute("delete from analytics.cost_tracking")
    insert(wh, "partner_revenue", [
        {"video_id": "vidA", "revenue_date": DAY, "kind": "affiliate", "amount_cents": 5,
         "source": "test", "external_ref": "y-1"}])
    wh.execute("update analytics.partner_revenue set revenue_date = revenue_date + 2")
    logged = wh.execute("select source, video_id, channel_id, revenue_date from "
                        "analytics.revenue_input_invalidation order by id").fetchall()
    nxt, after = date(2026, 11, 11), date(2026, 11, 12)
    assert logged == [
        ("cost_tracking", "vidA", CH, DAY),
        ("cost_tracking", "vidA", CH, nxt), ("cost_tracking", "vidA", CH, DAY),
        ("cost_tracking", "vidA", CH, nxt),
        ("partner_revenue", "vidA", None, DAY),
        ("partner_revenue", "vidA", None, after), ("partner_revenue", "vidA", None, DAY),
    ]


def test_big_amounts_spread_without_overflow_or_float_error(wh):
    hours = day_hours(DAY)
    hourly(wh, "vidA", [(h, 3_000_000 + i) for i, h in enumerate(hours)])
    big = figures(views=72_000_276, dislikes=2_000_000_001, shares=1_999_999_999,
                  minutes=Decimal("99999999.99"), revenue=Decimal("12345678.905"),
                  ad=Decimal("12345678.895"))
    load(wh, DAY, {"vidA": big})
    rows = fact_hours(wh, "vidA", DAY)
    weights = [3_000_000 + i for i in range(len(hours))]
    assert [r[4] for r in rows] == largest_remainder(2_000_000_001, weights)
    assert [r[8] for r in rows] == largest_remainder(1_234_567_891, weights)
    assert sum(r[6] for r in rows) == Decimal("99999999.99")
    assert attribution(wh)["vidA"][:4] == [1_234_567_890, 0, 0, 1]


def test_the_load_writes_only_its_own_fact_columns(wh):
    hours = day_hours(DAY)
    hourly(wh, "vidA", [(hours[0], 5)])
    wh.execute("update analytics.fact_video_performance set actual_revenue_cents = 42")
    load(wh, DAY, {"vidA": figures()})
    # a later hand correction of the counters leaves the daily-only figures alone
    wh.execute("update analytics.fact_video_performance set views = 6, likes = 9, comments = 9")
    row = wh.execute("select views, likes, comments, actual_revenue_cents, dislikes, "
                     "estimated_revenue_cents from analytics.fact_video_performance").fetchone()
    assert row == (6, 9, 9, 42, 7, 268)


def test_the_loaded_day_is_one_transaction(wh, monkeypatch):
    load(wh, DAY, {"vidA": figures()})
    before = wh.execute("select count(*), sum(estimated_revenue_cents) from "
                        "analytics.fact_video_performance").fetchone()

    def broken(conn, channel_id, day, mark):
        conn.execute("select 1 / 0")

    monkeypatch.setattr(write, "_attribute", broken)
    with pytest.raises(Exception, match="division by zero"):
        load(wh, DAY, {"vidA": figures(revenue=Decimal("9"), ad=Decimal("9")),
                       "vidB": figures()})
    assert wh.execute("select count(*) from analytics.yt_video_daily").fetchone()[0] == 1
    assert wh.execute("select estimated_revenue from analytics.yt_video_daily").fetchone()[0] == (
        Decimal("2.675"))
    assert wh.execute("select count(*), sum(estimated_revenue_cents) from "
                      "analytics.fact_video_performance").fetchone() == before
    failed = wh.execute("select success, error_message from analytics.query_performance_log "
                        "order by id desc limit 1").fetchone()
    assert failed[0] is False and "division by zero" in failed[1]


def test_hours_outside_the_pacific_day_are_not_touched(wh):
    hours = day_hours(DAY)
    hourly(wh, "vidA", [(hours[0] - HOUR, 50), (hours[0], 1), (hours[-1] + HOUR, 50)])
    load(wh, DAY, {"vidA": figures()})
    spread = dict(wh.execute("select timestamp, dislikes from analytics.fact_video_performance"))
    assert spread == {hours[0] - HOUR: 0, hours[0]: 7, hours[-1] + HOUR: 0}


def test_attribution_and_spread_on_both_database_paths(warehouse):
    """The same SQL on the plain path and on the TimescaleDB hypertable (rows given by
    INSERT: the TimescaleDB stand-in cannot COPY)."""
    conn = given_channels(warehouse)
    hours = day_hours(DAY)
    views = [0, 3, 5, 0, 2]
    hourly(conn, "vidA", list(zip(hours[:5], views, strict=True)))
    insert(conn, "yt_video_daily", [
        {"video_id": vid, "day": DAY, "channel_id": CH, "views": 10, "likes": 1, "dislikes": dis,
         "comments": 0, "shares": 3, "estimated_minutes_watched": Decimal("20"),
         "average_view_duration": Decimal("120"), "estimated_revenue": rev,
         "estimated_ad_revenue": Decimal("0.125")}
        for vid, dis, rev in (("vidA", 7, Decimal("2.675")), ("vidB", 2, Decimal("0.125")))])
    costs(conn, (None, CH, DAY, "api_calls", 100), ("vidB", CH, DAY, "ai_generation", 9))
    reattribute(conn, DAY)

    got = attribution(conn)
    # the channel cost by YouTube's views of the day (10 each), not by the counters
    assert got["vidA"] == [13, 0, 0, 255, 0, 50, 0]
    assert got["vidB"] == [13, 0, 0, 0, 9, 50, 0]
    rows = fact_hours(conn, "vidA", DAY)
    final = largest_remainder(10, views)
    assert [r[1] for r in rows] == final
    assert [r[4] for r in rows] == largest_remainder(7, final)
    assert [r[8] for r in rows] == largest_remainder(268, final)
    assert [r[9] for r in rows] == largest_remainder(50, final)
    assert [(r[0], r[1], r[4], r[8], r[9]) for r in fact_hours(conn, "vidB", DAY)] == [
        (hours[0], 10, 2, 13, 59)]
    assert conn.execute("select count(*) from analytics.revenue_input_invalidation"
                        ).fetchone()[0] == 0

    reattribute(conn, DAY)  # again: nothing changes
    assert attribution(conn) == got


def test_other_systems_writing_costs_need_no_right_on_the_change_log(wh):
    wh.execute("do $$ begin if not exists (select from pg_roles where rolname = "
               "'ytempire_test_cost_writer') then create role ytempire_test_cost_writer; end if; "
               "end $$")
    wh.execute("grant usage on schema analytics to ytempire_test_cost_writer")
    wh.execute("grant select, insert on analytics.cost_tracking to ytempire_test_cost_writer")
    wh.execute("grant usage on sequence analytics.cost_tracking_id_seq "
               "to ytempire_test_cost_writer")
    wh.execute("set role ytempire_test_cost_writer")
    try:
        costs(wh, ("vidA", CH, DAY, "ai_generation", 5))
    finally:
        wh.execute("reset role")
    assert wh.execute("select source, video_id, revenue_date from "
                      "analytics.revenue_input_invalidation").fetchall() == [
        ("cost_tracking", "vidA", DAY)]

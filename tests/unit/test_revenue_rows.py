"""Checking YouTube Analytics result tables before loading: every row is loaded
or rejected with a reason, never dropped."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ytempire.youtube.revenue.fetch import Answer, DayReport, day_key, named_days, video_metrics
from ytempire.youtube.revenue.parse import metric_problem, parse_table, video_key

METRICS = video_metrics(monetized=True)
HEADERS = [{"name": "video", "columnType": "DIMENSION", "dataType": "STRING"}] + [
    {"name": m, "columnType": "METRIC", "dataType": "INTEGER"} for m in METRICS]
DAY = date(2026, 11, 15)


def table(*rows, headers=HEADERS) -> dict:
    """A result table as the client hands it over (JSON floats already Decimal)."""
    body = {"kind": "youtubeAnalytics#resultTable", "columnHeaders": headers}
    if rows:
        body["rows"] = [list(r) if isinstance(r, list) else r for r in rows]
    return body


def test_the_client_parses_json_numbers_as_decimal():
    from ytempire.youtube.client import DecimalJsonModel

    body = DecimalJsonModel().deserialize(b'{"rows": [["vidA", 10, 2.675, 0.125]]}')
    assert body["rows"][0][1:] == [10, Decimal("2.675"), Decimal("0.125")]


def row(video="vidA", views=10, revenue="2.675", ad="0.125"):
    return [video, views, 1, 0, 2, 3, 14, 85, Decimal(revenue), Decimal(ad)]


def parse(t, requested=("vidA", "vidB", "vidC")):
    return parse_table(Answer({"startDate": DAY.isoformat()}, t), "video", METRICS,
                       video_key(set(requested)), channel_id="UCx", day=DAY)


def test_good_rows_are_kept_exactly_as_sent():
    out = parse(table(row(), row("vidB", revenue="0.005", ad="0.005")))
    assert out.received == 2 and out.loaded == 2 and out.rejected == []
    assert out.good["vidA"]["estimatedRevenue"] == Decimal("2.675")
    assert out.good["vidB"]["estimatedAdRevenue"] == Decimal("0.005")
    assert out.good["vidA"]["views"] == 10


def test_no_rows_key_means_nothing_received():
    out = parse(table())
    assert (out.received, out.loaded, out.rejected) == (0, 0, [])


def test_columns_are_read_by_name_not_position():
    headers = [HEADERS[0], *reversed(HEADERS[1:])]
    out = parse(table(["vidA", *reversed(row()[1:])], headers=headers))
    assert out.good["vidA"]["views"] == 10
    assert out.good["vidA"]["estimatedRevenue"] == Decimal("2.675")


@pytest.mark.parametrize("bad, reason", [
    (row()[:-1], "missing fields"),
    (["vidA", -1, *row()[2:]], "views is negative"),
    (["vidA", "n/a", *row()[2:]], "views is not a number"),
    (["vidA", "10", *row()[2:]], "views is not a number"),
    (["vidA", True, *row()[2:]], "views is not a number"),
    (["vidA", None, *row()[2:]], "views is not a number"),
    (["vidA", Decimal("10.5"), *row()[2:]], "views is not a whole number"),
    (row(revenue="0.100", ad="0.200"), "estimatedAdRevenue exceeds estimatedRevenue"),
    (row(revenue="-0.5", ad="0"), "estimatedRevenue is negative"),
    (row("zzUNKNOWN0z"), "unknown video id"),
    ("not a list", "row is not a list"),
])
def test_each_bad_row_is_rejected_with_its_reason_and_its_payload(bad, reason):
    out = parse(table(row("vidB"), bad))
    assert out.received == 2 and out.loaded == 1 and len(out.rejected) == 1
    rejected = out.rejected[0]
    assert reason in rejected.reason
    assert rejected.payload["row"] == bad
    assert rejected.payload["columns"][0] == "video"
    assert rejected.channel_id == "UCx" and rejected.day == DAY


def test_a_rejected_row_of_a_requested_video_names_the_video():
    out = parse(table(row()[:-1], ["vidB", "n/a", *row()[2:]], row("zzUNKNOWN0z")))
    assert [r.video_id for r in out.rejected] == ["vidA", "vidB", None]


def test_identical_repeated_rows_load_once_and_the_copies_are_rejected():
    out = parse(table(row(), row(), row()))
    assert out.received == 3 and out.loaded == 1
    assert [r.reason for r in out.rejected] == ["duplicate row for video vidA"] * 2


def test_repeated_rows_that_disagree_are_not_loaded_at_all():
    out = parse(table(row(), row(views=11)))
    assert out.loaded == 0 and len(out.rejected) == 2
    assert all("conflicting rows" in r.reason for r in out.rejected)


def test_an_answer_without_a_requested_metric_rejects_every_row():
    headers = HEADERS[:-1]
    out = parse(table(row()[:-1], row("vidB")[:-1], headers=headers))
    assert out.loaded == 0 and len(out.rejected) == 2
    assert all("estimatedAdRevenue" in r.reason for r in out.rejected)


def test_received_always_equals_loaded_plus_rejected():
    rows = [row(), row(), row("vidB", views=-3), row("vidC")[:-2], row("nope"), row("vidC")]
    out = parse(table(*rows))
    assert out.received == len(rows) == out.loaded + len(out.rejected)


def test_day_tables_key_rows_by_day_within_the_asked_range():
    headers = [{"name": "day", "columnType": "DIMENSION", "dataType": "STRING"},
               {"name": "views", "columnType": "METRIC", "dataType": "INTEGER"},
               {"name": "estimatedMinutesWatched", "columnType": "METRIC", "dataType": "INTEGER"}]
    t = table(["2026-11-14", 5, 7], ["2026-11-15", "x", 7], ["2026-12-01", 1, 1], ["junk", 1, 1],
              headers=headers)
    first, last = date(2026, 11, 14), date(2026, 11, 15)
    out = parse_table(Answer({}, t), "day", ("views", "estimatedMinutesWatched"),
                      day_key(first, last), channel_id="UCx")
    assert out.good == {date(2026, 11, 14): {"views": 5, "estimatedMinutesWatched": 7}}
    # a day named even by a bad row is ready; days outside the range or unreadable are not
    assert named_days(DayReport(first, last, Answer({}, t))) == {first, last}
    assert [(r.day, r.reason.split(":")[0]) for r in out.rejected] == [
        (date(2026, 11, 15), "views is not a number"),
        (None, "day 2026-12-01 is outside the requested 2026-11-14 .. 2026-11-15"),
        (None, "day is not a date"),
    ]


@pytest.mark.parametrize("name, value, ok", [
    ("views", 0, True), ("views", Decimal("3.0"), True), ("estimatedMinutesWatched", Decimal("1.5"), True),
    ("estimatedRevenue", Decimal("NaN"), False), ("likes", 2.5, False),
])
def test_metric_problem(name, value, ok):
    assert (metric_problem(name, value) is None) is ok


def test_unmonetised_channels_are_asked_without_money():
    assert "estimatedRevenue" not in video_metrics(monetized=False)
    assert video_metrics(monetized=True)[-2:] == ("estimatedRevenue", "estimatedAdRevenue")

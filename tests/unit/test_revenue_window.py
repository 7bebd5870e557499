"""The days a run of youtube_revenue_attribution loads, from its logical date and params."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ytempire.youtube.channels import batches
from ytempire.youtube.revenue.window import Window, revenue_window


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_daily_window_is_the_three_warehouse_days_before_p():
    # 05:00 Pacific on 11-20 is 13:00 UTC: P = 11-20
    window = revenue_window(at("2026-11-20T13:00"))
    assert window.ranges == ((date(2026, 11, 17), date(2026, 11, 19)),)
    assert window.days() == [date(2026, 11, 17), date(2026, 11, 18), date(2026, 11, 19)]


def test_p_is_the_warehouse_date_not_the_utc_date():
    # 03:00 UTC on 11-20 is still 11-19 in Los Angeles
    assert revenue_window(at("2026-11-20T03:00")).last == date(2026, 11, 18)


def test_lookback_param_widens_the_window():
    window = revenue_window(at("2026-11-20T13:00"), lookback_days=7)
    assert window.ranges == ((date(2026, 11, 13), date(2026, 11, 19)),)


def test_the_16th_also_re_pulls_the_whole_previous_month():
    window = revenue_window(at("2026-11-16T13:00"))
    assert window.ranges == (
        (date(2026, 10, 1), date(2026, 10, 31)),
        (date(2026, 11, 13), date(2026, 11, 15)),
    )
    assert len(window.days()) == 31 + 3


def test_the_16th_of_january_re_pulls_december_of_the_year_before():
    window = revenue_window(at("2027-01-16T13:00"))
    assert window.ranges[0] == (date(2026, 12, 1), date(2026, 12, 31))


def test_the_16th_with_a_long_lookback_merges_into_one_range():
    window = revenue_window(at("2026-03-16T12:00"), lookback_days=20)
    assert window.ranges == ((date(2026, 2, 1), date(2026, 3, 15)),)


def test_the_15th_and_17th_do_not_re_pull_a_month():
    assert len(revenue_window(at("2026-11-15T13:00")).days()) == 3
    assert len(revenue_window(at("2026-11-17T13:00")).days()) == 3


def test_start_and_end_date_replace_the_window():
    window = revenue_window(at("2026-11-16T13:00"), 3, "2026-09-01", "2026-10-15")
    assert window.ranges == ((date(2026, 9, 1), date(2026, 10, 15)),)


def test_start_date_alone_runs_until_p_minus_one():
    window = revenue_window(at("2026-11-20T13:00"), 3, "2026-11-01", None)
    assert window.ranges == ((date(2026, 11, 1), date(2026, 11, 19)),)


@pytest.mark.parametrize("kwargs, message", [
    ({"start_date": None, "end_date": "2026-11-01"}, "needs a start_date"),
    ({"start_date": "2026-11-05", "end_date": "2026-11-01"}, "after end_date"),
    ({"start_date": "yesterday", "end_date": None}, "YYYY-MM-DD"),
    ({"lookback_days": 0}, ">= 1"),
    ({"lookback_days": True}, ">= 1"),
])
def test_bad_parameters_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        revenue_window(at("2026-11-20T13:00"), **kwargs)


def test_a_naive_logical_date_is_refused():
    with pytest.raises(ValueError, match="aware"):
        revenue_window(datetime(2026, 11, 20, 13))


def test_window_round_trips_through_xcom():
    window = revenue_window(at("2026-11-16T13:00"))
    assert Window.from_dict(window.to_dict()) == window


def test_overlapping_and_adjacent_ranges_merge():
    d = date
    window = Window.of([(d(2026, 1, 5), d(2026, 1, 9)), (d(2026, 1, 1), d(2026, 1, 4)),
                        (d(2026, 1, 20), d(2026, 1, 21)), (d(2026, 1, 8), d(2026, 1, 10))])
    assert window.ranges == ((d(2026, 1, 1), d(2026, 1, 10)), (d(2026, 1, 20), d(2026, 1, 21)))


def test_channels_split_into_batches():
    assert batches(list("abcdefg"), 3) == [["a", "b", "c"], ["d", "e", "f"], ["g"]]
    assert batches([], 3) == []
    with pytest.raises(ValueError):
        batches(["a"], 0)

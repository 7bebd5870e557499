"""The emulation of Grafana's two stages (variables in the front end, then the
PostgreSQL data source's macros on the server), as docs/dashboards.md describes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from ytempire_dev.grafana_sql import (
    ALL,
    TimeRange,
    expand_macros,
    relative_range,
    render,
    substitute_variables,
)

RANGE = TimeRange(datetime(2026, 11, 3, 18, 30, 15, 999000, tzinfo=timezone(timedelta(hours=-8))),
                  datetime(2026, 11, 5, 2, 0, tzinfo=UTC))


def test_macros_are_utc_literals_with_second_precision():
    sql = "select $__timeFrom()::timestamptz, $__timeTo() where $__timeFilter(h.hour)"
    assert expand_macros(sql, RANGE) == (
        "select '2026-11-04T02:30:15Z'::timestamptz, '2026-11-05T02:00:00Z' "
        "where h.hour BETWEEN '2026-11-04T02:30:15Z' AND '2026-11-05T02:00:00Z'")


@pytest.mark.parametrize("sql", ["$__timeGroup(h.hour, '1h')", "$__unixEpochFilter(t)",
                                 "$__timeFilter(date(t))"])
def test_macros_not_emulated_are_errors(sql):
    with pytest.raises(ValueError):
        expand_macros(sql, RANGE)


def test_sqlstring_quotes_every_value_and_all_is_every_option():
    sql = "c in (${channel:sqlstring})"
    options = {"channel": ["UCa", "UCb", "UCc"]}
    assert substitute_variables(sql, {"channel": ["UCa"]}, options) == "c in ('UCa')"
    assert substitute_variables(sql, {"channel": "UCa"}, options) == "c in ('UCa')"
    assert substitute_variables(sql, {"channel": ["O'B", "x"]}, options) == "c in ('O''B','x')"
    assert substitute_variables(sql, {"channel": ALL}, options) == "c in ('UCa','UCb','UCc')"
    with pytest.raises(ValueError, match=r"IN \(\)"):
        substitute_variables(sql, {"channel": []}, options)


def test_default_format_inserts_a_single_string_raw_and_quotes_lists():
    assert substitute_variables("'$v'", {"v": "a"}) == "'a'"
    assert substitute_variables("in ($v)", {"v": ["a", "b"]}) == "in ('a','b')"


def test_variables_come_first_and_unknown_ones_are_errors():
    assert render("select $__timeTo(), '${v}'", RANGE, {"v": "x"}) == (
        "select '2026-11-05T02:00:00Z', 'x'")
    with pytest.raises(KeyError):
        render("select $missing", RANGE, {})


def test_a_relative_time_override_ends_at_the_range_end():
    r = relative_range(RANGE, "30d")
    assert (r.start, r.end) == (RANGE.end - timedelta(days=30), RANGE.end)
    assert relative_range(RANGE, None) == RANGE

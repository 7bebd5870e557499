"""The YouTube days a revenue run loads, from its logical date and parameters."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from ytempire import settings

DEFAULT_LOOKBACK_DAYS = 3
MONTH_END_ADJUSTMENT_DAY = 16


@dataclass(frozen=True)
class Window:
    """The YouTube days a run loads, as sorted, disjoint, inclusive ranges."""

    ranges: tuple[tuple[date, date], ...]

    @property
    def first(self) -> date:
        return self.ranges[0][0]

    @property
    def last(self) -> date:
        return self.ranges[-1][1]

    def days(self) -> list[date]:
        return [
            first + timedelta(days=i)
            for first, last in self.ranges
            for i in range((last - first).days + 1)
        ]

    def to_dict(self) -> dict[str, Any]:
        return {"ranges": [[a.isoformat(), b.isoformat()] for a, b in self.ranges]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Window:
        return cls(tuple((date.fromisoformat(a), date.fromisoformat(b)) for a, b in data["ranges"]))

    @classmethod
    def of(cls, ranges: Iterable[tuple[date, date]]) -> Window:
        merged: list[list[date]] = []
        for first, last in sorted(ranges):
            if first > last:
                raise ValueError(f"empty range {first} .. {last}")
            if merged and first <= merged[-1][1] + timedelta(days=1):
                merged[-1][1] = max(merged[-1][1], last)
            else:
                merged.append([first, last])
        if not merged:
            raise ValueError("a window needs at least one day")
        return cls(tuple((a, b) for a, b in merged))


def warehouse_date(logical: datetime) -> date:
    if logical.tzinfo is None:
        raise ValueError("the logical date must be time-zone aware")
    return logical.astimezone(settings.WAREHOUSE_ZONE).date()


def revenue_window(
    logical: datetime,
    lookback_days: int = DEFAULT_LOOKBACK_DAYS,
    start_date: str | date | None = None,
    end_date: str | date | None = None,
) -> Window:
    """The days a run with this logical date loads.

    P = the logical date's warehouse date. Daily: P - lookback .. P - 1; the run
    whose P is the 16th also re-pulls the whole previous month (YouTube's
    month-end adjustment). `start_date` (and optionally `end_date`, default
    P - 1) replace the window: backfills and newly registered channels.
    """
    p = warehouse_date(logical)
    if start_date or end_date:
        if not start_date:
            raise ValueError("end_date needs a start_date")
        start = _as_date(start_date, "start_date")
        end = _as_date(end_date, "end_date") if end_date else p - timedelta(days=1)
        if start > end:
            raise ValueError(f"start_date {start} is after end_date {end}")
        return Window.of([(start, end)])
    if isinstance(lookback_days, bool) or not isinstance(lookback_days, int) or lookback_days < 1:
        raise ValueError(f"lookback_days must be a whole number >= 1, got {lookback_days!r}")
    ranges = [(p - timedelta(days=lookback_days), p - timedelta(days=1))]
    if p.day == MONTH_END_ADJUSTMENT_DAY:
        last_of_previous = p.replace(day=1) - timedelta(days=1)
        ranges.append((last_of_previous.replace(day=1), last_of_previous))
    return Window.of(ranges)


def _as_date(value: str | date, name: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be a date YYYY-MM-DD, got {value!r}") from err

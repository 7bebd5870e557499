"""Checking YouTube Analytics result tables row by row, before anything is loaded.

A result table is parsed by header name, never by position. A row is loaded
only if it has every column, every metric is a JSON number (never a string or
a boolean), none is negative, counts are whole numbers, ad revenue does not
exceed total revenue, and its key (video id or day) is one that was asked for.
Identical repeated rows are loaded once; repeated rows that disagree are not
loaded at all. Every row that is not loaded comes back as a `Rejected` with the
raw row and a reason, so received == loaded + rejected always holds.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ytempire.quarantine import Rejected

CHANNEL_METRICS = ("views", "estimatedMinutesWatched")
VIDEO_METRICS = (
    "views", "likes", "dislikes", "comments", "shares", "estimatedMinutesWatched",
    "averageViewDuration",
)
REVENUE_METRICS = ("estimatedRevenue", "estimatedAdRevenue")
WHOLE_METRICS = frozenset({"views", "likes", "dislikes", "comments", "shares"})


def channel_metrics(monetized: bool) -> tuple[str, ...]:
    return CHANNEL_METRICS + (REVENUE_METRICS if monetized else ())


def video_metrics(monetized: bool) -> tuple[str, ...]:
    """Unmonetised channels are asked without the monetary metrics (403 otherwise)."""
    return VIDEO_METRICS + (REVENUE_METRICS if monetized else ())


@dataclass
class ParsedRows:
    """The rows of one result table: loadable ones by key, and the rejected ones."""

    good: dict = field(default_factory=dict)
    rejected: list[Rejected] = field(default_factory=list)
    received: int = 0
    # every key some row named, rejected or not (a day named at all is a ready day)
    named: set = field(default_factory=set)

    @property
    def loaded(self) -> int:
        return len(self.good)


def metric_problem(name: str, value: object) -> str | None:
    """Why `value` cannot be loaded as metric `name`, or None."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return f"{name} is not a number: {value!r}"
    if isinstance(value, Decimal) and not value.is_finite():
        return f"{name} is not a finite number: {value}"
    if value < 0:
        return f"{name} is negative: {value}"
    if name in WHOLE_METRICS and value != int(value):
        return f"{name} is not a whole number: {value}"
    return None


def parse_table(
    table: dict,
    dimension: str,
    metrics: tuple[str, ...],
    key_of: Callable[[object], tuple[Hashable | None, str | None]],
    *,
    channel_id: str,
    query: dict,
    day: date | None = None,
) -> ParsedRows:
    """Check every row of a `dimensions=<dimension>` result table.

    `key_of(value)` turns the dimension value into (key, None), or (None, reason)
    when the value is not one that was asked for.
    """
    out = ParsedRows()
    rows = table.get("rows") or []
    out.received = len(rows)
    names = [h.get("name") for h in table.get("columnHeaders") or []]
    absent = [c for c in (dimension, *metrics) if c not in names]
    candidates: dict[Hashable, list[tuple[list, dict]]] = {}

    def reject(row, reason: str, key=None) -> None:
        row_day = key if isinstance(key, date) else day
        video_id = key if isinstance(key, str) else None
        out.rejected.append(Rejected(
            reason=reason,
            payload={"columns": names, "row": row, "query": query},
            channel_id=channel_id, video_id=video_id, day=row_day,
        ))

    position = names.index(dimension) if dimension in names else None
    for row in rows:
        if not isinstance(row, list):
            reject(row, "row is not a list of values")
            continue
        key, problem = (None, f"missing fields: the answer has no column {dimension!r}")
        if position is not None and position < len(row):
            key, problem = key_of(row[position])
        if key is not None:
            out.named.add(key)
        if problem is None and absent:
            problem = f"missing fields: the answer has no column {absent}"
        if problem is None and len(row) != len(names):
            problem = f"missing fields: {len(row)} values for {len(names)} columns"
        if problem is not None:
            reject(row, problem, key)
            continue
        values = dict(zip(names, row, strict=True))
        problem = next(filter(None, (metric_problem(m, values[m]) for m in metrics)), None)
        if problem is None and "estimatedRevenue" in metrics and (
            values["estimatedAdRevenue"] > values["estimatedRevenue"]
        ):
            problem = "estimatedAdRevenue exceeds estimatedRevenue"
        if problem is not None:
            reject(row, problem, key)
            continue
        candidates.setdefault(key, []).append((row, {m: values[m] for m in metrics}))

    for key, found in candidates.items():
        first_row, first_values = found[0]
        if len(found) == 1:
            out.good[key] = first_values
        elif all(row == first_row for row, _ in found):
            out.good[key] = first_values
            for row, _ in found[1:]:
                reject(row, f"duplicate row for {dimension} {key}", key)
        else:
            for row, _ in found:
                reject(row, f"conflicting rows for {dimension} {key}: none loaded", key)
    return out


def day_key(first: date, last: date):
    """Keys of a `dimensions=day` table: the days of [first, last]."""

    def key_of(value):
        try:
            day = date.fromisoformat(value)
        except (TypeError, ValueError):
            return None, f"day is not a date: {value!r}"
        if not first <= day <= last:
            return None, f"day {day} is outside the requested {first} .. {last}"
        return day, None

    return key_of


def video_key(requested: set[str]):
    """Keys of a `dimensions=video` table: the ids that were asked for."""

    def key_of(value):
        if isinstance(value, str) and value in requested:
            return value, None
        return None, f"unknown video id {value!r}: not one of the ids asked for"

    return key_of

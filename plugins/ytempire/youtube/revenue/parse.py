"""Checking YouTube Analytics result tables row by row, before anything is loaded (pure).

A result table is parsed by header name, never by position. A row is loaded only if it
has every column, every metric is a JSON number (never a string or a boolean), none is
negative, counts are whole numbers, ad revenue does not exceed total revenue, and its
key (video id or day) is one that was asked for. Identical repeated rows are loaded
once; repeated rows that disagree are not loaded at all. Every row that is not loaded
comes back as a `Rejected` with the raw row and a reason, so received == loaded +
rejected always holds, per table and per unit.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ytempire.quarantine import Rejected
from ytempire.youtube.channels import Channel
from ytempire.youtube.revenue.fetch import (
    Answer,
    ChangedDay,
    ChannelDays,
    DayReport,
    KeyOf,
    ReadyDay,
    channel_metrics,
    day_key,
    video_metrics,
)

WHOLE_METRICS = frozenset({"views", "likes", "dislikes", "comments", "shares"})


@dataclass
class ParsedRows:
    """The rows of one or more result tables: loadable ones by key, and the rejected ones."""

    good: dict[Any, dict[str, Any]] = field(default_factory=dict)
    rejected: list[Rejected] = field(default_factory=list)
    received: int = 0

    @property
    def loaded(self) -> int:
        return len(self.good)

    def add(self, other: ParsedRows) -> None:
        self.good.update(other.good)
        self.rejected.extend(other.rejected)
        self.received += other.received


# --- the units the runner writes ----------------------------------------------------------

@dataclass(frozen=True)
class Undated:
    """The channel's day-report rows without a usable day (kept per channel)."""

    rejected: list[Rejected]
    kind: str = "undated"
    label: str = ""

    @property
    def received(self) -> int:
        return len(self.rejected)


@dataclass(frozen=True)
class DayFigures:
    """A ready (channel, day): the channel total, the video rows and what was rejected."""

    day: date
    channel_row: dict[str, Any] | None
    channel_rejected: list[Rejected]
    videos: ParsedRows
    mark: int
    kind: str = "load"

    @property
    def label(self) -> str:
        return self.day.isoformat()

    @property
    def received(self) -> int:
        return (self.channel_row is not None) + len(self.channel_rejected) + self.videos.received


@dataclass(frozen=True)
class ChangedInputs:
    """A day to re-attribute from what is landed (its inputs changed)."""

    day: date
    mark: int
    kind: str = "inputs"
    received: int = 0

    @property
    def label(self) -> str:
        return self.day.isoformat()


def parse(raw: ChannelDays | ReadyDay | ChangedDay,
          channel: Channel) -> Undated | DayFigures | ChangedInputs:
    if isinstance(raw, ChangedDay):
        return ChangedInputs(raw.day, raw.mark)
    days = ParsedRows()
    for report in raw.reports:
        days.add(_day_rows(report, channel))
    if isinstance(raw, ChannelDays):
        return Undated([r for r in days.rejected if r.day is None])
    videos = ParsedRows()
    for batch, answer in raw.videos:
        videos.add(parse_table(answer, "video", video_metrics(channel.monetized),
                               video_key(set(batch)), channel_id=channel.channel_id, day=raw.day))
    return DayFigures(raw.day, days.good.get(raw.day),
                      [r for r in days.rejected if r.day == raw.day], videos, raw.mark)


def _day_rows(report: DayReport, channel: Channel) -> ParsedRows:
    return parse_table(report.answer, "day", channel_metrics(channel.monetized),
                       day_key(report.first, report.last), channel_id=channel.channel_id)


def video_key(requested: set[str]) -> KeyOf:
    """Keys of a `dimensions=video` table: the ids that were asked for."""

    def key_of(value: object) -> tuple[str | None, str | None]:
        if isinstance(value, str) and value in requested:
            return value, None
        return None, f"unknown video id {value!r}: not one of the ids asked for"

    return key_of


# --- the rows of a table ------------------------------------------------------------------

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


def parse_table(answer: Answer, dimension: str, metrics: tuple[str, ...], key_of: KeyOf, *,
                channel_id: str, day: date | None = None) -> ParsedRows:
    """Check every row of a `dimensions=<dimension>` result table.

    `key_of(value)` turns the dimension value into (key, None), or (None, reason)
    when the value is not one that was asked for.
    """
    out = ParsedRows()
    rows = answer.table.get("rows") or []
    out.received = len(rows)
    names = [h.get("name") for h in answer.table.get("columnHeaders") or []]
    absent = [c for c in (dimension, *metrics) if c not in names]
    candidates: dict[Hashable, list[tuple[list[Any], dict[str, Any]]]] = {}

    def reject(row: object, reason: str, key: object = None) -> None:
        row_day = key if isinstance(key, date) else day
        video_id = key if isinstance(key, str) else None
        out.rejected.append(Rejected(
            reason=reason,
            payload={"columns": names, "row": row, "query": answer.query},
            channel_id=channel_id, video_id=video_id, day=row_day,
        ))

    position = names.index(dimension) if dimension in names else None
    for row in rows:
        if not isinstance(row, list):
            reject(row, "row is not a list of values")
            continue
        key: Any = None
        problem: str | None = f"missing fields: the answer has no column {dimension!r}"
        if position is not None and position < len(row):
            key, problem = key_of(row[position])
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

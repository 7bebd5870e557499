"""Panel SQL as Grafana runs it, without Grafana (docs/dashboards.md).

Two stages, in Grafana's order: the front end substitutes dashboard variables, then
the server expands the PostgreSQL data source's macros. Only what the dashboards use
is implemented; anything else is an error rather than a guess:

- variables: `${name:sqlstring}` (each value quoted, quotes doubled, joined by commas),
  `$name` / `${name}` (a list joined as quoted values; a single string inserted raw);
  "All" (no custom all value) expands to every option of the variable;
- macros: `$__timeFrom()`, `$__timeTo()` (quoted UTC literals, second precision as
  Grafana's RFC 3339 output), `$__timeFilter(col)` (`col BETWEEN from AND to`, both
  inclusive). Any other `$__name(` is an error, as on the server.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

ALL = "$__all"

_VARIABLE = re.compile(r"\$\{(?P<braced>\w+)(?::(?P<fmt>\w+))?\}|\$(?P<bare>(?!__)\w+)")
_MACRO = re.compile(r"\$__(?P<name>\w+)\((?P<args>[^)]*)\)")


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@dataclass(frozen=True)
class TimeRange:
    start: datetime
    end: datetime

    def __post_init__(self):
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("a dashboard time range needs aware datetimes")

    @staticmethod
    def _literal(moment: datetime) -> str:
        return "'" + moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") + "'"

    @property
    def from_literal(self) -> str:
        return self._literal(self.start)

    @property
    def to_literal(self) -> str:
        return self._literal(self.end)


def substitute_variables(
    sql: str,
    selected: Mapping[str, str | Sequence[str]],
    options: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """Stage 1 (front end). `selected[name]` is a value, a list of values or ALL;
    `options[name]` lists every value of the variable (what "All" expands to)."""
    options = options or {}

    def values_of(name: str) -> str | list[str]:
        if name not in selected:
            raise KeyError(f"the SQL uses ${name}, which the dashboard does not define")
        value = selected[name]
        if value == ALL or (not isinstance(value, str) and list(value) == [ALL]):
            if name not in options:
                raise KeyError(f"'All' of ${name} needs the variable's options")
            return list(options[name])
        return value if isinstance(value, str) else list(value)

    def replace(match: re.Match) -> str:
        name = match.group("braced") or match.group("bare")
        fmt = match.group("fmt")
        value = values_of(name)
        if fmt == "sqlstring":
            items = [value] if isinstance(value, str) else value
            if not items:
                raise ValueError(f"${name} has no value: Grafana would produce IN ()")
            return ",".join(quote_literal(v) for v in items)
        if fmt is not None:
            raise ValueError(f"format {fmt!r} of ${name} is not emulated")
        if isinstance(value, str):
            return value
        return ",".join(quote_literal(v) for v in value)

    return _VARIABLE.sub(replace, sql)


def expand_macros(sql: str, time_range: TimeRange) -> str:
    """Stage 2 (server): the PostgreSQL data source's macros."""

    def replace(match: re.Match) -> str:
        name, args = match.group("name"), match.group("args").strip()
        if "(" in args:
            # Grafana's macro pattern stops at the first ')': the SQL it makes is broken
            raise ValueError(f"$__{name}({args}...): a macro's arguments cannot contain ')'")
        if name == "timeFrom" and not args:
            return time_range.from_literal
        if name == "timeTo" and not args:
            return time_range.to_literal
        if name == "timeFilter" and args:
            return f"{args} BETWEEN {time_range.from_literal} AND {time_range.to_literal}"
        raise ValueError(f"macro $__{name}({args}) is not emulated")

    expanded = _MACRO.sub(replace, sql)
    if "$__" in expanded:
        raise ValueError("an unknown or malformed Grafana macro is left in the SQL")
    return expanded


def render(
    sql: str,
    time_range: TimeRange,
    selected: Mapping[str, str | Sequence[str]] | None = None,
    options: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """The statement PostgreSQL receives from Grafana for this panel SQL."""
    return expand_macros(substitute_variables(sql, selected or {}, options), time_range)


def relative_range(time_range: TimeRange, time_from: str | None) -> TimeRange:
    """A panel's relative time override (`timeFrom`, e.g. "30d"): now-30d .. now,
    with the dashboard's end standing for now."""
    if not time_from:
        return time_range
    match = re.fullmatch(r"(\d+)([smhdw])", time_from)
    if not match:
        raise ValueError(f"relative time {time_from!r} is not emulated")
    from datetime import timedelta

    unit = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}[match[2]]
    return TimeRange(time_range.end - timedelta(**{unit: int(match[1])}), time_range.end)


def interpolate_title(title: str, values: Mapping[str, str]) -> str:
    """Variables in a panel title (the text of a single-valued variable)."""
    return _VARIABLE.sub(lambda m: values[m.group("braced") or m.group("bare")], title)

"""YouTube Analytics v2 `reports.query` over a World, without HTTP."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .errors import ApiError, bad_request, forbidden, unsupported
from .world import METRIC_KEYS, REVENUE_KEYS, World, aggregate

METRIC_TYPES = {k: "INTEGER" for k in METRIC_KEYS} | {k: "FLOAT" for k in REVENUE_KEYS}
KNOWN_DIMENSIONS = {
    "day",
    "video",
    "month",
    "country",
    "ageGroup",
    "gender",
    "deviceType",
    "insightTrafficSourceType",
    "subscribedStatus",
    "liveOrOnDemand",
}
MONETARY_SCOPE = "https://www.googleapis.com/auth/yt-analytics-monetary.readonly"
MAX_FILTER_IDS = 500
MAX_TOP_VIDEOS = 200
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class ReportQuery:
    channel_id: str
    start: date
    end: date  # as requested; the effective end is cut back to the last ready day
    metrics: list[str]
    dimensions: list[str]
    filter_ids: list[str] | None
    sort: list[str]
    max_results: int | None
    start_index: int


def parse_query(
    world: World, params: dict[str, str], token_channel: str, scopes: set[str] | None = None
) -> ReportQuery:
    """Validate like the real API; raises ApiError. scopes None = all granted."""
    for name in ("ids", "startDate", "endDate", "metrics"):
        if not params.get(name):
            raise bad_request(
                f"Required parameter: {name}",
                reason="required",
                location=name,
                locationType="parameter",
            )
    channel_id = _channel(params["ids"], token_channel)
    start, end = _date(params, "startDate"), _date(params, "endDate")
    if start > end:
        raise bad_request("The start date must be on or before the end date.", reason="invalid")
    metrics = params["metrics"].split(",")
    for m in metrics:
        if m not in METRIC_TYPES:
            raise bad_request(f"Unknown identifier ({m}) given in field parameters.metrics.")
    if len(set(metrics)) != len(metrics):
        raise bad_request("Duplicate metric in parameters.metrics.")
    dimensions = [d for d in params.get("dimensions", "").split(",") if d]
    for d in dimensions:
        if d not in KNOWN_DIMENSIONS:
            raise bad_request(f"Unknown identifier ({d}) given in field parameters.dimensions.")
    if dimensions not in ([], ["day"], ["video"]):
        raise unsupported()
    filter_ids = _filters(params.get("filters", ""))
    sort = [s for s in params.get("sort", "").split(",") if s]
    for s in sort:
        if s.lstrip("-") not in (*dimensions, *metrics):
            raise unsupported()
    max_results = _positive(params, "maxResults")
    start_index = _positive(params, "startIndex") or 1
    if dimensions == ["video"] and filter_ids is None:
        # the top-videos report
        descending = sort and all(s.startswith("-") and s[1:] in metrics for s in sort)
        if not descending or max_results is None or max_results > MAX_TOP_VIDEOS:
            raise unsupported()
    monetary = [m for m in metrics if m in REVENUE_KEYS]
    if monetary:
        if scopes is not None and MONETARY_SCOPE not in scopes:
            raise ApiError(403, "insufficientPermissions", "Insufficient Permission")
        if not world.channel(channel_id).monetized:
            raise forbidden(
                f"Forbidden: the channel is not monetised; {monetary[0]} is not available."
            )
    return ReportQuery(
        channel_id, start, end, metrics, dimensions, filter_ids, sort, max_results, start_index
    )


def run_query(world: World, q: ReportQuery) -> dict:
    """The resultTable: `rows` absent when empty; revenue as Decimal."""
    last = min(q.end, world.last_ready_day())
    days = [q.start + timedelta(days=i) for i in range((last - q.start).days + 1)]
    channel = world.channel(q.channel_id)
    if q.filter_ids is None:
        videos = world.videos_of(q.channel_id)
    else:
        videos = [
            world.video(i)
            for i in q.filter_ids
            if world.has_video(i) and world.video(i).channel_id == q.channel_id
        ]
    groups: dict[tuple, list[dict]] = {}
    by_video = q.dimensions == ["video"]  # rows in filter order, else by day
    pairs = (
        [(d, v) for v in videos for d in days]
        if by_video
        else [(d, v) for d in days for v in videos]
    )
    for day, v in pairs:
        if v.has_data_on(day):
            key = tuple({"day": day.isoformat(), "video": v.id}[d] for d in q.dimensions)
            groups.setdefault(key, []).append(world.daily(v.id, day))
    rows = []
    for key, dailies in groups.items():
        totals = aggregate(dailies, channel.monetized)
        rows.append([*key, *(totals[m] for m in q.metrics)])
    names = [*q.dimensions, *q.metrics]
    for s in reversed(q.sort):
        i = names.index(s.lstrip("-"))
        rows.sort(key=lambda r: r[i], reverse=s.startswith("-"))
    first = q.start_index - 1
    rows = rows[first : first + q.max_results] if q.max_results else rows[first:]
    table = {
        "kind": "youtubeAnalytics#resultTable",
        "columnHeaders": [
            {"name": d, "columnType": "DIMENSION", "dataType": "STRING"} for d in q.dimensions
        ]
        + [{"name": m, "columnType": "METRIC", "dataType": METRIC_TYPES[m]} for m in q.metrics],
    }
    if rows:
        table["rows"] = rows
    return table


def query(
    world: World, params: dict[str, str], token_channel: str, scopes: set[str] | None = None
) -> dict:
    return run_query(world, parse_query(world, params, token_channel, scopes))


def _channel(ids: str, token_channel: str) -> str:
    kind, _, value = ids.partition("==")
    if kind != "channel" or not value:
        if kind == "contentOwner":
            raise forbidden()
        raise bad_request(f"Invalid value '{ids}' for parameter ids.", reason="invalid")
    if value not in ("MINE", token_channel):
        raise forbidden()
    return token_channel


def _date(params: dict[str, str], name: str) -> date:
    raw = params[name]
    try:
        if not _DATE.match(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise bad_request(
            f"Invalid value '{raw}'. Values must match the following regular expression: "
            "'[0-9]{4}-[0-9]{2}-[0-9]{2}'",
            reason="invalid",
            location=name,
            locationType="parameter",
        ) from None


def _positive(params: dict[str, str], name: str) -> int | None:
    raw = params.get(name)
    if raw in (None, ""):
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise bad_request(f"Invalid value '{raw}' for parameter {name}.", reason="invalid")
    return int(raw)


def _filters(raw: str) -> list[str] | None:
    ids = None
    for part in (p for p in raw.split(";") if p):
        name, sep, value = part.partition("==")
        if not sep or not value:
            raise bad_request(f"Invalid filter '{part}'.", reason="invalid")
        if name not in KNOWN_DIMENSIONS:
            raise bad_request(f"Unknown identifier ({name}) given in field parameters.filters.")
        if name != "video":
            raise unsupported()
        ids = list(dict.fromkeys(value.split(",")))
        if len(ids) > MAX_FILTER_IDS or "" in ids:
            raise bad_request(
                f"The query is not supported. A video filter takes at most {MAX_FILTER_IDS} ids.",
                reason="invalid",
            )
    return ids

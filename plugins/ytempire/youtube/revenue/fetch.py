"""What the revenue load asks YouTube, one unit of work at a time.

First the channel's `dimensions=day` report over each range of the window: the days it
names are ready (YouTube cuts `endDate` back and omits rows for days not ready), the
others are left untouched. Then, per ready day, the per-video figures
(`dimensions=video`, batches of at most 200 ids) of the channel's videos that can have
figures that day; then the days whose costs or partner revenue changed (no API call).
Every answer of a day is fetched before that day is written; the warehouse reads here
run in autocommit, so no transaction spans an API call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import psycopg

from ytempire import settings
from ytempire.warehouse import fetch_one, sql_file
from ytempire.youtube.channels import Channel, batches
from ytempire.youtube.client import YouTubeClient
from ytempire.youtube.revenue.window import Window

SQL = "youtube/revenue/"
VIDEO_BATCH = 200
CHANNEL_METRICS = ("views", "estimatedMinutesWatched")
VIDEO_METRICS = (
    "views", "likes", "dislikes", "comments", "shares", "estimatedMinutesWatched",
    "averageViewDuration",
)
REVENUE_METRICS = ("estimatedRevenue", "estimatedAdRevenue")

KeyOf = Callable[[object], tuple[Any, str | None]]


@dataclass(frozen=True)
class Answer:
    """One report as sent, with the query that asked for it (kept with rejected rows)."""

    query: dict[str, Any]
    table: dict[str, Any]


@dataclass(frozen=True)
class DayReport:
    """The channel's `dimensions=day` report over one range of the window."""

    first: date
    last: date
    answer: Answer


@dataclass(frozen=True)
class ChannelDays:
    """The first unit: the day reports (their rows without a usable day)."""

    reports: list[DayReport]


@dataclass(frozen=True)
class ReadyDay:
    """A ready day: its row of the day reports and its videos' figures."""

    day: date
    reports: list[DayReport]
    videos: list[tuple[list[str], Answer]]  # (video ids asked, answer)
    mark: int  # the newest input change this load consumes


@dataclass(frozen=True)
class ChangedDay:
    """A day not loaded now whose costs or partner revenue changed."""

    day: date
    mark: int


def channel_metrics(monetized: bool) -> tuple[str, ...]:
    return CHANNEL_METRICS + (REVENUE_METRICS if monetized else ())


def video_metrics(monetized: bool) -> tuple[str, ...]:
    """Unmonetised channels are asked without the monetary metrics (403 otherwise)."""
    return VIDEO_METRICS + (REVENUE_METRICS if monetized else ())


def day_key(first: date, last: date) -> KeyOf:
    """Keys of a `dimensions=day` table: the days of [first, last]."""

    def key_of(value: object) -> tuple[date | None, str | None]:
        try:
            day = date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            day = None
        if day is None:
            return None, f"day is not a date: {value!r}"
        if not first <= day <= last:
            return None, f"day {day} is outside the requested {first} .. {last}"
        return day, None

    return key_of


def named_days(report: DayReport) -> set[date]:
    """The days a day report names in any row, well-formed or not: the ready days."""
    names = [h.get("name") for h in report.answer.table.get("columnHeaders") or []]
    if "day" not in names:
        return set()
    position, key_of = names.index("day"), day_key(report.first, report.last)
    return {day for row in report.answer.table.get("rows") or []
            if isinstance(row, list) and position < len(row)
            if (day := key_of(row[position])[0])}


def fetch(conn: psycopg.Connection, client: YouTubeClient, channel: Channel,
          window: Window) -> Iterator[ChannelDays | ReadyDay | ChangedDay]:
    cid = channel.channel_id
    reports = [DayReport(first, last, _ask(client, {
        "ids": f"channel=={cid}", "startDate": first.isoformat(), "endDate": last.isoformat(),
        "metrics": ",".join(channel_metrics(channel.monetized)), "dimensions": "day",
        "sort": "day"})) for first, last in window.ranges]
    yield ChannelDays(reports)
    mark = fetch_one(conn, SQL + "invalidation_mark.sql")[0]
    changed = {r[0] for r in conn.execute(sql_file(SQL + "invalidated_days.sql"),
                                          {"channel_id": cid, "mark": mark})}
    ready = sorted(set().union(*map(named_days, reports)))
    for day in ready:
        video_ids = [r[0] for r in conn.execute(sql_file(SQL + "videos_for_day.sql"),
                                                {"channel_id": cid, "day": day})]
        yield ReadyDay(day, reports, [(batch, _ask_videos(client, channel, day, batch))
                                      for batch in batches(video_ids, VIDEO_BATCH)], mark)
    for day in sorted(changed - set(ready)):
        yield ChangedDay(day, mark)


def _ask_videos(client: YouTubeClient, channel: Channel, day: date, video_ids: list[str]) -> Answer:
    """Per-video figures of one day for a batch of at most 200 video ids."""
    if not 0 < len(video_ids) <= VIDEO_BATCH:
        raise ValueError(f"a video batch holds 1 to {VIDEO_BATCH} ids, got {len(video_ids)}")
    answer = _ask(client, {
        "ids": f"channel=={channel.channel_id}", "startDate": day.isoformat(),
        "endDate": day.isoformat(), "metrics": ",".join(video_metrics(channel.monetized)),
        "dimensions": "video", "filters": "video==" + ",".join(video_ids), "sort": "-views",
        "maxResults": len(video_ids)})
    kept = {k: v for k, v in answer.query.items() if k != "filters"} | {"videos": len(video_ids)}
    return Answer(kept, answer.table)


def _ask(client: YouTubeClient, query: dict[str, Any]) -> Answer:
    request = client.analytics.reports().query(**query)
    return Answer(query, request.execute(num_retries=settings.CLIENT_RETRIES))

"""The daily revenue load: YouTube Analytics figures per video and day, revenue
attribution with costs and partner revenue, and the daily-only fact columns.

For each channel: refresh its uploads list, ask the `dimensions=day` report
over the window (the days it returns are ready), then for each ready day ask
the per-video figures (`dimensions=video`, batches of at most 200 ids) and
land everything for that channel and day in ONE transaction: the channel
total, the video rows as sent, the attribution, the spread over the hourly
fact rows, the quarantined rows, and the change-log entries it consumed.
Days whose costs or partner revenue changed since the last run are
re-attributed from what is already landed, whatever their age.

All SQL lives in include/sql/youtube/revenue/; the work is set-based (COPY into
staging tables, one statement per target table).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

import psycopg
from psycopg import sql

from ytempire import settings
from ytempire.quarantine import Rejected, quarantine
from ytempire.warehouse import sql_file
from ytempire.youtube.analytics_rows import (
    ParsedRows,
    channel_metrics,
    day_key,
    parse_table,
    video_key,
    video_metrics,
)
from ytempire.youtube.batch import Failure, batches, commit_open_transaction

log = logging.getLogger(__name__)

SQL = "youtube/revenue/"
SOURCE_CHANNEL_DAY = "youtube_revenue_attribution.channel_day"
SOURCE_VIDEO_DAY = "youtube_revenue_attribution.video_day"
VIDEO_BATCH = 200
DEFAULT_LOOKBACK_DAYS = 3
MONTH_END_ADJUSTMENT_DAY = 16
CHANNELS_PER_TASK = settings.REVENUE_CHANNELS_PER_TASK
PARALLEL_TASKS = settings.REVENUE_PARALLEL_TASKS

STAGE_CHANNEL_COLUMNS = ("views", "estimatedMinutesWatched", "estimatedRevenue", "estimatedAdRevenue")
STAGE_VIDEO_COLUMNS = (
    "views", "likes", "dislikes", "comments", "shares", "estimatedMinutesWatched",
    "averageViewDuration", "estimatedRevenue", "estimatedAdRevenue",
)


# -- the window ---------------------------------------------------------------


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

    def to_dict(self) -> dict:
        return {"ranges": [[a.isoformat(), b.isoformat()] for a, b in self.ranges]}

    @classmethod
    def from_dict(cls, data: dict) -> Window:
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


# -- what a channel's load reports --------------------------------------------


@dataclass
class ChannelReport:
    channel_id: str
    status: str = "loaded"  # loaded | skipped_needs_reauthorisation
    loaded_days: list[str] = field(default_factory=list)
    reattributed_days: list[str] = field(default_factory=list)
    received: int = 0
    loaded: int = 0
    quarantined: int = 0
    api_calls: dict = field(default_factory=dict)

    def count(self, parsed: ParsedRows) -> None:
        self.received += parsed.received
        self.loaded += parsed.loaded
        self.quarantined += len(parsed.rejected)

    def as_dict(self) -> dict:
        return asdict(self)


# -- YouTube ------------------------------------------------------------------


def fetch_channel_days(client, channel, first: date, last: date) -> tuple[dict, dict]:
    """The channel's `dimensions=day` report: the days it returns are ready."""
    query = {
        "ids": f"channel=={channel.channel_id}",
        "startDate": first.isoformat(),
        "endDate": last.isoformat(),
        "metrics": ",".join(channel_metrics(channel.monetized)),
        "dimensions": "day",
        "sort": "day",
    }
    table = client.execute(client.analytics.reports().query(**query), "reports.channel_days")
    return query, table


def fetch_video_day(client, channel, day: date, video_ids: list[str]) -> tuple[dict, dict]:
    """Per-video figures of one day for a batch of at most 200 video ids."""
    if not 0 < len(video_ids) <= VIDEO_BATCH:
        raise ValueError(f"a video batch holds 1 to {VIDEO_BATCH} ids, got {len(video_ids)}")
    query = {
        "ids": f"channel=={channel.channel_id}",
        "startDate": day.isoformat(),
        "endDate": day.isoformat(),
        "metrics": ",".join(video_metrics(channel.monetized)),
        "dimensions": "video",
        "filters": "video==" + ",".join(video_ids),
        "sort": "-views",
        "maxResults": len(video_ids),
    }
    table = client.execute(client.analytics.reports().query(**query), "reports.video_day")
    return {k: v for k, v in query.items() if k != "filters"} | {"videos": len(video_ids)}, table


def _merge(into: ParsedRows, parsed: ParsedRows) -> None:
    into.good.update(parsed.good)
    into.rejected.extend(parsed.rejected)
    into.received += parsed.received
    into.named |= parsed.named


# -- the warehouse ------------------------------------------------------------


def _copy_rows(conn: psycopg.Connection, table: str, columns: tuple[str, ...],
               rows: Iterator[tuple]) -> None:
    statement = sql.SQL("copy {} ({}) from stdin").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns)))
    with conn.cursor() as cur, cur.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _attribute(conn: psycopg.Connection, channel_id: str, day: date, mark: int) -> dict:
    """Placeholder fact rows, attribution, spread, consumed change entries."""
    params = {"channel_id": channel_id, "day": day, "mark": mark}
    created = conn.execute(sql_file(SQL + "ensure_fact_rows.sql"), params).rowcount
    attributed, changed, removed, unallocated, _ = conn.execute(
        sql_file(SQL + "attribute_revenue.sql"), params).fetchone()
    spread = conn.execute(sql_file(SQL + "spread_daily_metrics.sql"), params).rowcount
    consumed = conn.execute(sql_file(SQL + "consume_invalidations.sql"), params).rowcount
    if unallocated:
        log.warning("channel %s %s: %d cent(s) of channel costs kept in analytics.unallocated_cost "
                    "(no video of the channel has a fact row that day)", channel_id, day, unallocated)
    return {"placeholder_rows": created, "attributed": attributed, "attribution_changed": changed,
            "attribution_removed": removed, "fact_rows_respread": spread, "changes_consumed": consumed}


def write_day(
    conn: psycopg.Connection,
    channel_id: str,
    day: date,
    channel_row: dict | None,
    channel_rejected: list[Rejected],
    videos: ParsedRows,
    *,
    mark: int,
    run_id: str,
    step: str,
) -> dict:
    """Land one ready (channel, day) whole or not at all."""
    from ytempire.steplog import logged_step

    params = {"channel_id": channel_id, "day": day, "run_id": run_id}
    with logged_step(conn, step) as logged:
        conn.execute(sql_file(SQL + "create_staging.sql"))
        if channel_row is not None:
            _copy_rows(conn, "stage_yt_channel_daily", (
                "views", "estimated_minutes_watched", "estimated_revenue", "estimated_ad_revenue",
            ), iter([tuple(channel_row.get(m) for m in STAGE_CHANNEL_COLUMNS)]))
            conn.execute(sql_file(SQL + "merge_yt_channel_daily.sql"), params)
        _copy_rows(conn, "stage_yt_video_daily", (
            "video_id", "views", "likes", "dislikes", "comments", "shares",
            "estimated_minutes_watched", "average_view_duration", "estimated_revenue",
            "estimated_ad_revenue",
        ), ((vid, *(values.get(m) for m in STAGE_VIDEO_COLUMNS))
            for vid, values in sorted(videos.good.items())))
        kept = sorted({r.video_id for r in videos.rejected if r.video_id} - set(videos.good))
        staged, changed, removed = conn.execute(
            sql_file(SQL + "merge_yt_video_daily.sql"), params | {"kept_video_ids": kept}).fetchone()
        outcome = _attribute(conn, channel_id, day, mark)
        conn.execute(sql_file(SQL + "clear_quarantine.sql"), params | {
            "sources": [SOURCE_CHANNEL_DAY, SOURCE_VIDEO_DAY]})
        quarantine(conn, SOURCE_CHANNEL_DAY, channel_rejected, run_id)
        quarantine(conn, SOURCE_VIDEO_DAY, videos.rejected, run_id)
        logged.rows = staged
    outcome |= {"video_rows": staged, "video_rows_changed": changed, "video_rows_removed": removed,
                "quarantined": len(channel_rejected) + len(videos.rejected)}
    log.info("channel %s %s loaded: %s", channel_id, day, outcome)
    return outcome


def reattribute_day(conn: psycopg.Connection, channel_id: str, day: date, *, mark: int,
                    step: str) -> dict:
    """Re-attribute a (channel, day) whose inputs changed, from what is landed."""
    from ytempire.steplog import logged_step

    with logged_step(conn, step) as logged:
        outcome = _attribute(conn, channel_id, day, mark)
        logged.rows = outcome["attributed"]
    log.info("channel %s %s re-attributed after input changes: %s", channel_id, day, outcome)
    return outcome


def quarantine_undated(conn: psycopg.Connection, channel_id: str, rejected: list[Rejected],
                       run_id: str) -> None:
    """Channel-report rows without a usable day: kept per channel, replaced per load."""
    with conn.transaction():
        conn.execute(sql_file(SQL + "clear_quarantine.sql"), {
            "sources": [SOURCE_CHANNEL_DAY], "channel_id": channel_id, "day": None})
        quarantine(conn, SOURCE_CHANNEL_DAY, rejected, run_id)


def _scalar_list(conn: psycopg.Connection, name: str, params: dict) -> list:
    return [row[0] for row in conn.execute(sql_file(SQL + name), params)]


# -- one channel ----------------------------------------------------------------


def load_channel(
    conn: psycopg.Connection,
    client,
    channel,
    window: Window,
    *,
    at: datetime,
    run_id: str,
    step_prefix: str,
) -> ChannelReport:
    """Load one channel over the window; `conn` in autocommit, outside a transaction."""
    from ytempire.youtube.catalog import sync_uploads

    cid = channel.channel_id
    report = ChannelReport(cid)
    sync_uploads(conn, client, channel, at)
    commit_open_transaction(conn)

    days = ParsedRows()
    for first, last in window.ranges:
        query, table = fetch_channel_days(client, channel, first, last)
        _merge(days, parse_table(table, "day", channel_metrics(channel.monetized),
                                 day_key(first, last), channel_id=cid, query=query))
    report.count(days)
    ready = sorted(days.named)
    quarantine_undated(conn, cid, [r for r in days.rejected if r.day is None], run_id)

    mark = conn.execute(sql_file(SQL + "invalidation_mark.sql")).fetchone()[0]
    changed = _scalar_list(conn, "invalidated_days.sql", {"channel_id": cid, "mark": mark})

    for day in ready:
        video_ids = _scalar_list(conn, "videos_for_day.sql", {"channel_id": cid, "day": day})
        videos = ParsedRows()
        for batch in batches(video_ids, VIDEO_BATCH):
            query, table = fetch_video_day(client, channel, day, batch)
            _merge(videos, parse_table(table, "video", video_metrics(channel.monetized),
                                       video_key(set(batch)), channel_id=cid, query=query, day=day))
        report.count(videos)
        write_day(conn, cid, day, days.good.get(day), [r for r in days.rejected if r.day == day],
                  videos, mark=mark, run_id=run_id, step=f"{step_prefix}.{cid}.{day}")
        report.loaded_days.append(day.isoformat())

    for day in sorted(set(changed) - set(ready)):
        reattribute_day(conn, cid, day, mark=mark, step=f"{step_prefix}.{cid}.{day}.inputs")
        report.reattributed_days.append(day.isoformat())

    report.api_calls = dict(client.calls)
    if report.received != report.loaded + report.quarantined:
        raise RuntimeError(f"channel {cid}: {report.received} rows received but {report.loaded} "
                           f"loaded and {report.quarantined} quarantined")
    log.info("channel %s: %d ready day(s) loaded %s, %d re-attributed %s; rows received %d = "
             "loaded %d + quarantined %d; API calls %s", cid, len(report.loaded_days),
             report.loaded_days, len(report.reattributed_days), report.reattributed_days,
             report.received, report.loaded, report.quarantined, report.api_calls)
    return report


# -- a batch of channels (one mapped task) ------------------------------------------


def load_channel_batch(
    conn: psycopg.Connection,
    channel_ids: list[str],
    window: Window,
    *,
    at: datetime,
    run_id: str,
    step_prefix: str,
) -> tuple[list[ChannelReport], list[Failure]]:
    """Load each channel of the batch under the shared failure policy
    (`ytempire.youtube.batch`); channels no longer active are skipped."""
    from ytempire.youtube.batch import channel_client, run_channel_batch
    from ytempire.youtube.channels import active_channels

    conn.autocommit = True
    registry = {c.channel_id: c for c in active_channels(conn)}
    gone = [cid for cid in channel_ids if cid not in registry]
    if gone:
        log.warning("channel(s) no longer active: skipped: %s", gone)

    def collect_one(cid: str) -> ChannelReport:
        channel = registry[cid]
        return load_channel(conn, channel_client(cid, channel.conn_id), channel, window, at=at,
                            run_id=run_id, step_prefix=step_prefix)

    reports, failures = run_channel_batch(conn, [c for c in channel_ids if c in registry],
                                          collect_one, at)
    reports += [ChannelReport(f.channel_id, status="skipped_needs_reauthorisation")
                for f in failures if f.reported]
    return reports, failures

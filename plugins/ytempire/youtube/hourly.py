"""The hourly counter collector behind `youtube_video_stats_hourly`.

For the logical hour H, each active channel's available videos are read with
`videos.list(part=statistics)`, 50 ids a call, and written in one transaction
per channel: the snapshots at H (`analytics.video_stats_snapshot`), the
increments at H - 1 hour (`analytics.fact_video_performance`, views, likes and
comments only), the malformed answers (`analytics.load_quarantine`), and the
videos the answer no longer contains (marked unavailable). The rules for
increments are DESIGN.md's "Hourly counters"; the SQL is
`include/sql/youtube/hourly/merge_counters.sql`.

Before that, a channel whose last uploads sync is `METADATA_SYNC_HOURS` old
(or that was never synced) gets its uploads and metadata sync
(`ytempire.youtube.catalog`), so videos published since are collected too.

Only the newest hour can be observed again: a channel that already has a
snapshot later than H is skipped (no API call, no write) and the log says so.

Failures, per channel, after the other channels of the batch are done:
- `quotaExceeded` / `dailyLimitExceeded`: the batch stops at once
  (`AirflowFailException`); every channel is whole or untouched.
- `invalid_grant`: the channel is marked as needing re-authorisation and the
  task fails naming it. In later hours, while the mark stands, the channel is
  still tried (a token refresh costs no quota) and the failure is only logged:
  the alert went out once. Its next success clears the mark.
- other non-retryable errors: `AirflowFailException` naming channel and cause.
- retryable errors (after the client's own retries): an `AirflowException`, so
  Airflow retries the task; the message still names every failed channel.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta

import psycopg

from ytempire import settings
from ytempire.quarantine import Rejected, quarantine
from ytempire.warehouse import sql_file
from ytempire.youtube import catalog
from ytempire.youtube.batch import Failure, batches
from ytempire.youtube.client import YouTubeClient, YouTubeError

log = logging.getLogger(__name__)

DAG_ID = "youtube_video_stats_hourly"
COLLECT_TASK_ID = "collect_hourly_counters"
QUARANTINE_SOURCE = DAG_ID
COUNTERS = ("viewCount", "likeCount", "commentCount")
MAX_BIGINT = 2**63 - 1


# --- pure helpers ------------------------------------------------------------------

def collection_hour(logical_time: datetime) -> datetime:
    """The hour H a run stands for: its logical time truncated to the hour, in UTC."""
    if logical_time.tzinfo is None:
        raise ValueError("the logical time must be aware")
    return logical_time.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def sync_due(last_sync: datetime | None, hour: datetime,
             every_hours: int | None = None) -> bool:
    """Whether the run for `hour` refreshes the channel's uploads and metadata first."""
    every = settings.METADATA_SYNC_HOURS if every_hours is None else every_hours
    return last_sync is None or hour - last_sync >= timedelta(hours=every)


def units_per_hour(videos_per_channel: list[int]) -> int:
    """Data API units of one hourly run without a sync: ceil(videos / 50) per channel."""
    return sum(math.ceil(n / catalog.PAGE_SIZE) for n in videos_per_channel)


def units_per_sync(videos_per_channel: list[int]) -> int:
    """Units of one uploads + metadata sync of every channel: channels.list, the uploads
    pages and videos.list over the uploads, per channel."""
    return sum(1 + 2 * max(1, math.ceil(n / catalog.PAGE_SIZE)) for n in videos_per_channel)


def units_per_day(videos_per_channel: list[int], sync_every_hours: int | None = None) -> int:
    every = settings.METADATA_SYNC_HOURS if sync_every_hours is None else sync_every_hours
    return 24 * units_per_hour(videos_per_channel) + math.ceil(24 / every) * units_per_sync(
        videos_per_channel)


@dataclass(frozen=True)
class Counters:
    """One video's validated lifetime counters (None: hidden or disabled)."""

    video_id: str
    view_count: int
    like_count: int | None
    comment_count: int | None


@dataclass
class ParsedStatistics:
    rows: list[Counters]
    rejected: list[Rejected]
    missing: list[str]  # requested, not answered: deleted or private
    received: int


def _counter(stats: dict, name: str) -> tuple[int | None, str | None]:
    """(value, None) or (None, reason); an absent like/comment count is (None, None)."""
    if name not in stats or stats[name] is None:
        return None, ("missing viewCount" if name == "viewCount" else None)
    raw = stats[name]
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        return None, f"non-numeric counter {name}={raw!r}"
    text = str(raw).strip()
    digits = text[1:] if text[:1] in "+-" else text
    if not digits.isascii() or not digits.isdigit():
        return None, f"non-numeric counter {name}={raw!r}"
    value = int(text)
    if value < 0:
        return None, f"negative lifetime count {name}={value}"
    if value > MAX_BIGINT:
        return None, f"counter out of range {name}={value}"
    return value, None


def parse_statistics(items: list, requested: list[str], channel_id: str,
                     hour: datetime) -> ParsedStatistics:
    """Validates videos.list statistics items of one channel against the ids asked for.

    Every item received is either a row or a rejection (with its raw payload), so
    received == len(rows) + len(rejected). Missing likeCount/commentCount is
    normal (likes hidden, comments disabled), not bad input.
    """
    wanted = set(requested)
    seen: set[str] = set()
    rows: list[Counters] = []
    rejected: list[Rejected] = []
    payload_hour = hour.isoformat()

    def reject(item, reason: str, video_id: str | None = None) -> None:
        rejected.append(Rejected(
            reason=reason, payload={"snapshot_hour": payload_hour, "item": item},
            channel_id=channel_id, video_id=video_id[:50] if video_id else None,
        ))

    for item in items:
        video_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(video_id, str) or not video_id:
            reject(item, "item without a video id")
            continue
        if video_id not in wanted:
            reject(item, f"unknown video id {video_id!r}: not asked for this channel", video_id)
            continue
        if video_id in seen:
            reject(item, f"duplicate video id {video_id!r} in one answer", video_id)
            continue
        seen.add(video_id)
        stats = item.get("statistics")
        if not isinstance(stats, dict):
            reject(item, "item without statistics", video_id)
            continue
        values, reasons = {}, []
        for name in COUNTERS:
            values[name], reason = _counter(stats, name)
            if reason:
                reasons.append(reason)
        if reasons:
            reject(item, "; ".join(reasons), video_id)
            continue
        rows.append(Counters(video_id, values["viewCount"], values["likeCount"],
                             values["commentCount"]))
    missing = sorted(wanted - seen)
    return ParsedStatistics(rows, rejected, missing, received=len(items))


# --- one channel ---------------------------------------------------------------------

@dataclass
class ChannelOutcome:
    """What the run did for one channel (returned through XCom as a dict)."""

    channel_id: str
    status: str  # loaded | later_hour_collected
    synced: bool = False
    received: int = 0
    loaded: int = 0
    quarantined: int = 0
    increments: int = 0
    marked_unavailable: int = 0
    calls: dict = field(default_factory=dict)
    error: str | None = None
    reason: str | None = None
    retryable: bool | None = None


@dataclass(frozen=True)
class ChannelState:
    last_uploads_sync_at: datetime | None
    reauthorisation_since: datetime | None
    later_hour_collected: bool


def channel_state(conn: psycopg.Connection, channel_id: str, hour: datetime) -> ChannelState:
    row = conn.execute(sql_file("youtube/hourly/channel_state.sql"),
                       {"channel_id": channel_id, "hour": hour}).fetchone()
    if row is None:
        raise YouTubeError(channel_id, "unknown_channel",
                           "the channel is not registered in analytics.dim_channel", retryable=False)
    return ChannelState(*row)


def fetch_statistics(client: YouTubeClient, video_ids: list[str]) -> list:
    """videos.list(part=statistics), 50 ids a call: every item as sent."""
    items: list = []
    for start in range(0, len(video_ids), catalog.PAGE_SIZE):
        batch = video_ids[start:start + catalog.PAGE_SIZE]
        request = client.data.videos().list(part="statistics", id=",".join(batch))
        items.extend(client.execute(request, "videos.list").get("items") or [])
    return items


def _step_name(kind: str, channel_id: str) -> str:
    return f"{DAG_ID}.{COLLECT_TASK_ID}.{kind}.{channel_id}"


def collect_channel(conn: psycopg.Connection, channel: dict, hour: datetime, run_id: str,
                    client: YouTubeClient) -> ChannelOutcome:
    """The hour H of one channel: sync when due, read counters, write it all or nothing.

    `conn` is an autocommit connection. Raises `YouTubeError` (and
    `ReauthorisationNeeded`) from the API; nothing of the hour is written then.
    """
    from ytempire.steplog import logged_step

    channel_id = channel["channel_id"]
    state = channel_state(conn, channel_id, hour)
    outcome = ChannelOutcome(channel_id, "loaded")
    if state.later_hour_collected:
        log.warning("channel %s: a later hour than %s is already collected; hour %s can no "
                    "longer be observed again, nothing changed", channel_id, hour.isoformat(),
                    hour.isoformat())
        outcome.status = "later_hour_collected"
        return outcome

    outcome.calls = client.calls
    if sync_due(state.last_uploads_sync_at, hour):
        known = catalog.available_video_ids(conn, channel_id)
        fetched = catalog.fetch_uploads(client, channel_id, known,
                                        catalog.known_category_ids(conn))
        with logged_step(conn, _step_name("sync", channel_id), transaction=False,
                         run_id=run_id) as step:
            step.rows = len(catalog.apply_uploads(conn, fetched, hour).available)
        outcome.synced = True

    video_ids = catalog.available_video_ids(conn, channel_id)
    items = fetch_statistics(client, video_ids)
    parsed = parse_statistics(items, video_ids, channel_id, hour)

    with logged_step(conn, _step_name("load", channel_id), run_id=run_id) as step:
        conn.execute(sql_file("youtube/hourly/create_counter_stage.sql"))
        with conn.cursor() as cur:
            with cur.copy(sql_file("youtube/hourly/copy_counter_stage.sql")) as copy:
                for r in parsed.rows:
                    copy.write_row((r.video_id, r.view_count, r.like_count, r.comment_count))
            cur.execute(sql_file("youtube/hourly/merge_counters.sql"),
                        {"channel_id": channel_id, "hour": hour, "run_id": run_id})
            staged, snapshots, increments, _facts_written, final_day, later = cur.fetchone()
        if final_day:
            log.warning("channel %s: %d increment(s) at %s fall on a YouTube day already loaded "
                        "(final): not written", channel_id, final_day,
                        (hour - timedelta(hours=1)).isoformat())
        if later:
            raise RuntimeError(f"channel {channel_id}: {later} video(s) got a snapshot later than "
                               f"{hour.isoformat()} while this hour was collected; nothing written")
        conn.execute(sql_file("youtube/hourly/clear_quarantine.sql"), {
            "source": QUARANTINE_SOURCE, "channel_id": channel_id, "hour_text": hour.isoformat()})
        quarantined = quarantine(conn, QUARANTINE_SOURCE, parsed.rejected, run_id)
        marked = 0
        if parsed.missing:
            marked = conn.execute(sql_file("youtube/hourly/mark_unavailable.sql"), {
                "channel_id": channel_id, "hour": hour, "video_ids": parsed.missing}).rowcount
        if parsed.received != snapshots + quarantined or staged != snapshots:
            raise RuntimeError(f"channel {channel_id}: counts do not balance: received "
                               f"{parsed.received}, loaded {snapshots}, quarantined {quarantined}")
        step.rows = snapshots

    outcome.received, outcome.loaded, outcome.quarantined = parsed.received, snapshots, quarantined
    outcome.increments, outcome.marked_unavailable = increments, marked
    log.info("channel %s hour %s: received %d, loaded %d, quarantined %d; %d increment(s) at %s; "
             "%d video(s) no longer returned%s", channel_id, hour.isoformat(), parsed.received,
             snapshots, quarantined, increments, (hour - timedelta(hours=1)).isoformat(), marked,
             " (after an uploads sync)" if outcome.synced else "")
    return outcome


# --- a batch of channels (one mapped task) -------------------------------------------------

def plan_batches(conn: psycopg.Connection, size: int | None = None) -> list[list[dict]]:
    """The active channels in groups of CHANNELS_PER_TASK: one mapped task per group."""
    from ytempire.youtube.channels import active_channels

    channels = [{"channel_id": c.channel_id, "conn_id": c.conn_id} for c in active_channels(conn)]
    return batches(channels, size or settings.CHANNELS_PER_TASK)


def batch_label(channels: list[dict]) -> str:
    if not channels:
        return "no channels"
    first, last = channels[0]["channel_id"], channels[-1]["channel_id"]
    return first if len(channels) == 1 else f"{first}..{last} ({len(channels)} channels)"


def collect_batch(channels: list[dict], hour: datetime, run_id: str,
                  conn_id: str = settings.WAREHOUSE_CONN_ID) -> tuple[dict, list[Failure]]:
    """Collects hour H for a batch of channels on one warehouse connection, under the
    shared failure policy (`ytempire.youtube.batch`): the summary (counts, API calls,
    per-channel outcomes) and the failures, which the DAG task turns into exceptions."""
    from ytempire.warehouse import connect
    from ytempire.youtube.batch import channel_client, run_channel_batch

    by_id = {c["channel_id"]: c for c in channels}

    def collect_one(channel_id: str) -> ChannelOutcome:
        channel = by_id[channel_id]
        return collect_channel(conn, channel, hour, run_id,
                               channel_client(channel_id, channel.get("conn_id")))

    with connect(conn_id) as conn:
        conn.autocommit = True
        outcomes, failures = run_channel_batch(conn, list(by_id), collect_one, hour)
    summary = summarize_outcomes(outcomes, failures, hour)
    log_summary(summary)
    return summary, failures


def summarize_outcomes(outcomes: list[ChannelOutcome], failures: list[Failure],
                       hour: datetime) -> dict:
    calls: Counter = Counter()
    for o in outcomes:
        calls.update({k: v for k, v in (o.calls or {}).items()})
    return {
        "hour": hour.isoformat(),
        "channels": len(outcomes) + len(failures),
        "channels_loaded": sum(o.status == "loaded" for o in outcomes),
        "channels_synced": sum(o.synced for o in outcomes),
        "channels_failed": sum(not f.reported for f in failures),
        "received": sum(o.received for o in outcomes),
        "loaded": sum(o.loaded for o in outcomes),
        "quarantined": sum(o.quarantined for o in outcomes),
        "increments": sum(o.increments for o in outcomes),
        "marked_unavailable": sum(o.marked_unavailable for o in outcomes),
        "api_calls": dict(sorted(calls.items())),
        "outcomes": [asdict(o) for o in outcomes],
        "failures": [asdict(f) for f in failures],
    }


def merge_summaries(summaries: list[dict]) -> dict:
    """One run's totals from its mapped tasks' summaries."""
    keys = ("channels", "channels_loaded", "channels_synced", "channels_failed", "received",
            "loaded", "quarantined", "increments", "marked_unavailable")
    total = {k: sum(s.get(k, 0) for s in summaries) for k in keys}
    calls: Counter = Counter()
    for s in summaries:
        calls.update(s.get("api_calls", {}))
    total["api_calls"] = dict(sorted(calls.items()))
    total["hour"] = summaries[0]["hour"] if summaries else None
    return total


def log_summary(summary: dict) -> None:
    calls = summary["api_calls"]
    units = sum(v for k, v in calls.items() if k.endswith(".list"))
    log.info("hour %s: %d channel(s), %d loaded, %d synced, %d failed; received %d = loaded %d + "
             "quarantined %d; %d increment(s); %d video(s) marked unavailable; API calls %s "
             "(%d list call(s) = quota units; %s HTTP request(s) to the APIs, retries included)",
             summary["hour"], summary["channels"], summary["channels_loaded"],
             summary["channels_synced"], summary["channels_failed"], summary["received"],
             summary["loaded"], summary["quarantined"], summary["increments"],
             summary["marked_unavailable"], calls, units, calls.get("requests", 0))

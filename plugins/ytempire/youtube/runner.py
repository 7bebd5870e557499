"""The channel-batch runner: the one skeleton of every YouTube load.

    result = run_batch(channels, load, run, logical_time)   # one mapped load task

A load (`ChannelLoad`) supplies only what differs: `start` (is there anything to do
for the channel now, and is its uploads sync due), `fetch` (the API answers, one unit
of work at a time), `parse` (answers -> rows and rejected rows) and either `write` (one
unit into the warehouse, with the SQL of its own folder) or `write_batch` (the units of
every channel of the batch in one step: one COPY and one set-based merge; it refuses
a channel whole, before merging, when the channel cannot be written whole, and the
others commit). The runner owns the rest:

- the warehouse connection: one per batch, in autocommit, so that no transaction
  spans an API call; every write happens in a step's transaction;
- each channel's API client, through the connection the channel names;
- the uploads sync both loads need (`ytempire.youtube.uploads`): the `sync` step,
  before the load's units, when `start` says it is due;
- step names: `<dag_id>.<task_id>.<kind>.<channel_id>[.<label>]`, one transaction
  and one `query_performance_log` row per step (`ytempire.steplog`);
- row accounting: each unit's rows received = loaded + quarantined, as its write
  counted them, checked before the unit commits; the channel's totals in its
  `ChannelResult`;
- the failure policy. One channel's failure does not stop the others: it becomes a
  `Failure`. `invalid_grant`: the channel is marked as needing re-authorisation in
  `dim_channel.metadata` (it stays active, so the missing-data check keeps reporting
  it) and fails the batch once; while the mark stands and the token still fails it is
  skipped quietly (`Failure.reported`); a marked channel that loads again is unmarked.
  An exhausted quota (`quotaExceeded`, `dailyLimitExceeded`) stops the batch at once:
  nothing more can load today. Google's client has already retried what is retryable
  (429, 5xx, rate limits, with back-off); what still fails is classified here, and
  the task turns the failures into Airflow exceptions (`ytempire.airflow`): any
  failure that is not retryable fails the task for good, otherwise Airflow retries it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

import httplib2
import psycopg
from google.auth.exceptions import RefreshError, TransportError
from googleapiclient.errors import HttpError
from psycopg.pq import TransactionStatus

from ytempire import runbooks, settings
from ytempire.steplog import TaskRun, logged_step
from ytempire.warehouse import connect, sql_file
from ytempire.youtube.channels import Channel
from ytempire.youtube.client import (
    ReauthorisationNeeded,
    YouTubeClient,
    YouTubeError,
    client_for,
    endpoint,
)
from ytempire.youtube.uploads import fetch as uploads_fetch
from ytempire.youtube.uploads import parse as uploads_parse
from ytempire.youtube.uploads import write as uploads_write

log = logging.getLogger(__name__)

QUOTA_REASONS = frozenset({"quotaExceeded", "dailyLimitExceeded"})
NOT_RETRYABLE_REASONS = QUOTA_REASONS | {
    "forbidden", "insufficientPermissions", "badRequest", "invalid", "invalidParameter", "authError",
}
RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})


# --- what a load supplies ----------------------------------------------------------------

class Unit(Protocol):
    """One transaction of a channel's load: a step of its own."""

    @property
    def kind(self) -> str: ...  # the step kind: load, inputs, ...

    @property
    def label(self) -> str: ...  # the unit within the channel (a day), or ""

    @property
    def received(self) -> int: ...  # rows YouTube sent for it


@dataclass(frozen=True)
class Start:
    """What the runner does for a channel before its units."""

    sync: bool = True  # the uploads sync first
    skip: str | None = None  # why nothing is done for the channel now (logged)


@dataclass(frozen=True)
class Written:
    """What one unit's write landed: rows loaded and quarantined, as counted in SQL."""

    loaded: int
    quarantined: int = 0
    counts: dict[str, int] = field(default_factory=dict)


R = TypeVar("R")
U = TypeVar("U", bound=Unit)


@dataclass(frozen=True)
class BatchWritten:
    """What a batch write landed per channel, and the channels it refused (nothing of
    them written) with the reason."""

    written: dict[str, Written]
    refused: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ChannelLoad(Generic[R, U]):
    start: Callable[[psycopg.Connection, Channel], Start]
    fetch: Callable[[psycopg.Connection, YouTubeClient, Channel], Iterable[R]]
    parse: Callable[[R, Channel], U]
    write: Callable[[psycopg.Connection, Channel, U, str | None], Written] | None = None
    write_batch: Callable[[psycopg.Connection, list[tuple[Channel, U]], str | None],
                          BatchWritten] | None = None

    def __post_init__(self) -> None:
        if (self.write is None) == (self.write_batch is None):
            raise ValueError("a ChannelLoad has either write or write_batch")


# --- what the runner returns -------------------------------------------------------------

@dataclass
class ChannelResult:
    """What a load did for one channel."""

    channel_id: str
    status: str = "loaded"  # loaded | skipped
    synced: bool = False
    received: int = 0
    loaded: int = 0
    quarantined: int = 0
    units: dict[str, list[str]] = field(default_factory=dict)  # kind -> labels written
    counts: dict[str, int] = field(default_factory=dict)  # the writes' own counts, summed
    api_calls: dict[str, int] = field(default_factory=dict)

    def add(self, unit: Unit, written: Written) -> None:
        self.received += unit.received
        self.loaded += written.loaded
        self.quarantined += written.quarantined
        self.units.setdefault(unit.kind, []).append(unit.label)
        for name, value in written.counts.items():
            self.counts[name] = self.counts.get(name, 0) + value


@dataclass(frozen=True)
class Failure:
    channel_id: str
    reason: str
    message: str
    retryable: bool
    reported: bool = False  # a re-authorisation already alerted: skipped quietly

    @property
    def runbook(self) -> str:
        if self.reason in QUOTA_REASONS:
            return runbooks.QUOTA_EXHAUSTED
        if self.reason == "invalid_grant":
            return runbooks.REAUTHORISATION
        return runbooks.TASK_FAILURE

    def describe(self) -> str:
        if self.reason in QUOTA_REASONS:
            return self.message
        if self.reason == "invalid_grant":
            return (f"channel {self.channel_id}: re-authorise the channel (invalid_grant): "
                    f"{self.message}")
        return f"channel {self.channel_id}: {self.reason}: {self.message}"


@dataclass
class BatchResult:
    """A mapped load task's result: its channels' results and failures."""

    results: list[ChannelResult] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"results": [asdict(r) for r in self.results],
                "failures": [asdict(f) for f in self.failures]}


# --- the batch ---------------------------------------------------------------------------

def run_batch(channels: Iterable[dict[str, Any]], load: ChannelLoad[Any, Any], run: TaskRun,
              logical_time: datetime, conn_id: str = settings.WAREHOUSE_CONN_ID) -> BatchResult:
    """Runs `load` for each channel of the batch (plan dicts) under the policy above."""
    batch = [Channel.of(c) for c in channels]
    done = BatchResult()
    pending: list[Pending] = []  # fetched units waiting for load.write_batch
    with connect(conn_id) as conn:
        conn.autocommit = True
        marked = {r[0] for r in conn.execute(sql_file("youtube/reauthorisation_marks.sql"))}
        for index, channel in enumerate(batch):
            cid = channel.channel_id
            try:
                done.results.append(_run_channel(conn, channel, load, run, logical_time, pending))
            except Exception as err:
                error = channel_error(cid, err)
                if error is None:
                    raise
                if conn.info.transaction_status != TransactionStatus.IDLE:
                    conn.rollback()
                if error.reason in QUOTA_REASONS:
                    not_tried = [c.channel_id for c in batch[index + 1:]]
                    log.error("YouTube quota exhausted at channel %s; %d channel(s) not tried: %s",
                              cid, len(not_tried), not_tried)
                    done.failures.append(_quota_failure(error, not_tried, len(done.results)))
                    break
                if isinstance(error, ReauthorisationNeeded):
                    done.failures.append(_reauthorisation(conn, error, cid in marked, logical_time))
                    continue
                log.error("channel %s failed (%s): %s", cid,
                          "retryable" if error.retryable else "not retryable", error)
                done.failures.append(Failure(cid, error.reason, str(error), error.retryable))
                continue
            if cid in marked:
                _mark_reauthorisation(conn, cid, None, logical_time)
                log.info("channel %s authorises again: re-authorisation mark cleared", cid)
        if pending:
            _write_batch(conn, load, pending, run, done)
    return done


def _run_channel(conn: psycopg.Connection, channel: Channel, load: ChannelLoad[Any, Any],
                 run: TaskRun, logical_time: datetime, pending: list[Pending]) -> ChannelResult:
    cid = channel.channel_id
    client = client_for(cid, channel.conn_id)
    result = ChannelResult(cid)
    start = load.start(conn, channel)
    if start.skip:
        log.warning("channel %s: %s", cid, start.skip)
        result.status = "skipped"
        return result
    if start.sync:
        uploads = uploads_parse.parse(uploads_fetch.fetch(conn, client, cid))
        with logged_step(conn, run.step("sync", cid)) as step:
            step.rows = len(uploads_write.write(conn, uploads, logical_time).available)
        result.synced = True
    units = []  # the channel's units join the batch only once all were fetched
    for raw in load.fetch(conn, client, channel):
        unit = load.parse(raw, channel)
        if load.write is None:
            units.append(unit)
        else:
            result.add(unit, write_unit(conn, load.write, channel, unit, run))
    result.api_calls = dict(sorted(client.calls.items()))
    pending.extend(Pending(result, channel, unit) for unit in units)
    if not units:
        _log_result(result)
    return result


def _log_result(result: ChannelResult) -> None:
    log.info("channel %s: %s; rows received %d = loaded %d + quarantined %d; %s; API requests %s",
             result.channel_id, "uploads synced" if result.synced else "no uploads sync",
             result.received, result.loaded, result.quarantined, result.counts, result.api_calls)


def write_unit(conn: psycopg.Connection, write: Callable[..., Written], channel: Channel,
               unit: Unit, run: TaskRun) -> Written:
    """One unit as a step of its own: one transaction, its rows accounted before it commits."""
    cid = channel.channel_id
    with logged_step(conn, run.step(unit.kind, cid, *filter(None, [unit.label]))) as step:
        written = write(conn, channel, unit, run.run_id)
        _check_balance(cid, unit, written)
        step.rows = written.loaded
    return written


def _check_balance(channel_id: str, unit: Unit, written: Written) -> None:
    if unit.received != written.loaded + written.quarantined:
        raise RuntimeError(
            f"channel {channel_id} {unit.kind} {unit.label}: rows do not balance: received "
            f"{unit.received}, loaded {written.loaded}, quarantined {written.quarantined}")


# --- the batch write (load.write_batch) --------------------------------------------------

@dataclass(frozen=True)
class Pending:
    result: ChannelResult
    channel: Channel
    unit: Unit


def _write_batch(conn: psycopg.Connection, load: ChannelLoad[Any, Any], pending: list[Pending],
                 run: TaskRun, done: BatchResult) -> None:
    """Every fetched channel's units in one step (one transaction), each channel's rows
    accounted before it commits; a channel the write refused becomes a failure."""
    assert load.write_batch is not None
    if len({p.channel.channel_id for p in pending}) != len(pending):
        raise ValueError("a batch write takes one unit per channel")
    kind = pending[0].unit.kind
    with logged_step(conn, run.step(kind, f"{len(pending)}-units")) as step:
        outcome = load.write_batch(conn, [(p.channel, p.unit) for p in pending], run.run_id)
        for p in pending:
            if p.channel.channel_id not in outcome.refused:
                written = outcome.written[p.channel.channel_id]
                _check_balance(p.channel.channel_id, p.unit, written)
                p.result.add(p.unit, written)
        step.rows = sum(w.loaded for w in outcome.written.values())
    for cid, reason in sorted(outcome.refused.items()):
        log.error("channel %s refused, nothing of it written: %s", cid, reason)
        done.results = [r for r in done.results if r.channel_id != cid]
        done.failures.append(Failure(cid, "refused", reason, retryable=False))
    for p in pending:
        if p.channel.channel_id not in outcome.refused:
            _log_result(p.result)


# --- the failure policy ------------------------------------------------------------------

def channel_error(channel_id: str, err: Exception) -> YouTubeError | None:
    """`err` as a channel's failure, when it is one (an API or configuration error);
    None for anything else (a warehouse error fails the whole task)."""
    if isinstance(err, YouTubeError):
        return err
    if isinstance(err, RefreshError):
        if "invalid_grant" in str(err):
            return ReauthorisationNeeded(channel_id, _first_line(err))
        return YouTubeError(channel_id, "token_refresh", _first_line(err), True)
    if isinstance(err, HttpError):
        reason = _reason(err)
        retryable = (err.status_code >= 500 or err.status_code == 429
                     or reason in RATE_LIMIT_REASONS)
        if reason in NOT_RETRYABLE_REASONS or err.status_code == 400:
            retryable = False
        called = endpoint("GET", err.uri or "", None)
        return YouTubeError(channel_id, reason or str(err.status_code),
                            f"HTTP {err.status_code} on {called}: {err.reason}", retryable)
    if isinstance(err, (TransportError, OSError, httplib2.HttpLib2Error)):
        return YouTubeError(channel_id, "connection", _first_line(err), True)
    return None


def _first_line(err: Exception) -> str:
    return str(err).splitlines()[0] if str(err) else type(err).__name__


def _reason(err: HttpError) -> str | None:
    try:
        body = json.loads(err.content.decode("utf-8"))
        errors = body.get("error", {}).get("errors") or []
        reason = errors[0].get("reason") if errors else body.get("error", {}).get("status")
    except (ValueError, AttributeError):
        return None
    return str(reason) if reason else None


def _quota_failure(error: YouTubeError, not_tried: list[str], loaded: int) -> Failure:
    return Failure(error.channel_id, error.reason, (
        f"YouTube quota exhausted ({error.reason}) while loading channel {error.channel_id}: "
        f"stopped at once, {len(not_tried)} channel(s) of this batch not tried, {loaded} loaded "
        "before; every channel's unit already written is whole, nothing of the one in "
        f"progress is; the quota returns at midnight Pacific. Cause: {error}"), retryable=False)


def _reauthorisation(conn: psycopg.Connection, error: YouTubeError, already_marked: bool,
                     logical_time: datetime) -> Failure:
    cid = error.channel_id
    if already_marked:
        log.warning("channel %s still needs re-authorisation (already reported): skipped: %s",
                    cid, error)
    else:
        _mark_reauthorisation(conn, cid, str(error), logical_time)
        log.error("channel %s needs re-authorisation: %s", cid, error)
    return Failure(cid, error.reason, str(error), retryable=False, reported=already_marked)


def _mark_reauthorisation(conn: psycopg.Connection, channel_id: str, reason: str | None,
                          logical_time: datetime) -> None:
    """Record (reason given) or clear (reason None) that a channel must be re-authorised."""
    conn.execute(sql_file("youtube/mark_reauthorisation.sql"),
                 {"channel_id": channel_id, "reason": reason, "at": logical_time.isoformat()})

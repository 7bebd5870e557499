"""The failure policy for a batch of channels, shared by both YouTube DAGs.

    outcomes, failures = run_channel_batch(conn, channel_ids, collect_one, logical_time)
    raise_for_failures(failures, context)     # in the DAG task

- One channel's failure does not stop the others: it is recorded as a `Failure`.
- `invalid_grant`: the channel is marked as needing re-authorisation in
  `dim_channel.metadata` (it stays active, so the missing-data check keeps reporting
  it) and fails the batch once; while the mark stands and the token still fails it is
  skipped quietly (`Failure.reported`). A marked channel that loads again is unmarked.
- An exhausted quota (`quotaExceeded`, `dailyLimitExceeded`) stops the batch at once:
  nothing more can load today; the failure says how many channels were not tried.

The DAG task maps the failures to Airflow exceptions (`raise_for_failures`): any
failure that is not retryable fails the task for good, otherwise Airflow retries it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import psycopg
from psycopg.pq import TransactionStatus

from ytempire import runbooks
from ytempire.warehouse import sql_file
from ytempire.youtube.channels import mark_reauthorisation
from ytempire.youtube.client import ReauthorisationNeeded, YouTubeClient, YouTubeError

log = logging.getLogger(__name__)

QUOTA_REASONS = frozenset({"quotaExceeded", "dailyLimitExceeded"})


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


def _quota_failure(error: YouTubeError, not_tried: list[str], loaded: int) -> Failure:
    return Failure(error.channel_id, error.reason, (
        f"YouTube quota exhausted ({error.reason}) while loading channel {error.channel_id}: "
        f"stopped at once, {len(not_tried)} channel(s) of this batch not tried, {loaded} loaded "
        "before; every channel and day already written is whole, nothing of the one in "
        f"progress is; the quota returns at midnight Pacific. Cause: {error}"), retryable=False)


def batches(items: list, size: int) -> list[list]:
    """`items` in consecutive groups of `size`: channels per mapped task, ids per API call."""
    if size < 1:
        raise ValueError("batch size must be at least 1")
    return [items[i:i + size] for i in range(0, len(items), size)]


def commit_open_transaction(conn: psycopg.Connection) -> None:
    """Commit whatever a helper left open (roll back a failed one), so that the next
    channel or day starts a transaction of its own."""
    status = conn.info.transaction_status
    if status == TransactionStatus.INTRANS:
        conn.commit()
    elif status != TransactionStatus.IDLE:
        conn.rollback()


def channel_client(channel_id: str, conn_id: str | None, **options) -> YouTubeClient:
    """The channel's API client (`options`: see client_for); a missing or broken
    connection is the channel's failure."""
    from ytempire.youtube.client import client_for

    try:
        return client_for(channel_id, conn_id, **options)
    except YouTubeError:
        raise
    except Exception as err:  # e.g. the named Airflow connection does not exist
        raise YouTubeError(channel_id, "bad_configuration",
                           f"connection {conn_id!r}: {err}", retryable=False) from err


def run_channel_batch(conn: psycopg.Connection, channel_ids: list[str],
                      collect_one: Callable[[str], object],
                      logical_time: datetime) -> tuple[list, list[Failure]]:
    """`collect_one(channel_id)` for each channel, under the policy above; `conn` is an
    autocommit connection. Returns the outcomes of the channels that loaded and the
    failures."""
    marked = {r[0] for r in conn.execute(sql_file("youtube/reauthorisation_marks.sql"))}
    outcomes: list = []
    failures: list[Failure] = []
    for index, channel_id in enumerate(channel_ids):
        try:
            outcome = collect_one(channel_id)
        except ReauthorisationNeeded as err:
            commit_open_transaction(conn)
            if channel_id in marked:
                log.warning("channel %s still needs re-authorisation (already reported): "
                            "skipped: %s", channel_id, err)
            else:
                with conn.transaction():
                    mark_reauthorisation(conn, channel_id, str(err), logical_time)
                log.error("channel %s needs re-authorisation: %s", channel_id, err)
            failures.append(Failure(channel_id, err.reason, str(err), retryable=False,
                                    reported=channel_id in marked))
            continue
        except YouTubeError as err:
            commit_open_transaction(conn)
            if err.reason in QUOTA_REASONS:
                not_tried = channel_ids[index + 1:]
                log.error("YouTube quota exhausted at channel %s; %d channel(s) not tried: %s",
                          channel_id, len(not_tried), not_tried)
                failures.append(_quota_failure(err, not_tried, len(outcomes)))
                break
            log.error("channel %s failed (%s): %s", channel_id,
                      "retryable" if err.retryable else "not retryable", err)
            failures.append(Failure(channel_id, err.reason, str(err), err.retryable))
            continue
        if channel_id in marked:
            with conn.transaction():
                mark_reauthorisation(conn, channel_id, None, logical_time)
            log.info("channel %s authorises again: re-authorisation mark cleared", channel_id)
        outcomes.append(outcome)
    return outcomes, failures


def raise_for_failures(failures: list[Failure], context: str) -> None:
    """The DAG task's side of the policy: Airflow exceptions naming each channel, and
    the runbooks of their causes (for the failure alert)."""
    from airflow.sdk.exceptions import AirflowException, AirflowFailException

    alerting = [f for f in failures if not f.reported]
    if not alerting:
        return
    message = f"{context}: {len(alerting)} channel(s) failed (the others loaded): " + "; ".join(
        f.describe() for f in alerting)
    if any(not f.retryable for f in alerting):
        error = AirflowFailException(message)
    else:
        error = AirflowException(message + " (retryable: Airflow retries the task)")
    error.runbooks = tuple(dict.fromkeys(f.runbook for f in alerting))
    raise error

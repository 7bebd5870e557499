"""Timing and outcome of every pipeline step, in analytics.query_performance_log.

Every refresh, load and check step runs its SQL through `logged_step`::

    run = TaskRun("youtube_revenue_attribution.load_channel_revenue", run_id, try_number)
    with connect() as conn:
        with logged_step(conn, run.step("load", "UCxyz")) as step:
            step.rows = conn.execute(sql_file("load/x.sql"), params).rowcount

A `TaskRun` is the Airflow task run a step belongs to (`ytempire.airflow.task_run()`
makes it from the running task; tests and tools write one themselves): its name,
`<dag_id>.<task_id>`, names the step, and its run id and try number stamp the log row.

The contract, in full:

- `conn` is not inside a transaction when the step starts.
- By default the body runs in one transaction (`conn.transaction()`): it commits
  when the body ends normally and rolls back when it raises. With
  `transaction=False` the body manages its own transactions, or runs in
  autocommit (TimescaleDB's `refresh_continuous_aggregate` needs that);
  whatever it leaves open is committed on success and rolled back on failure.
- After that, one row is written in its own short transaction on the same
  connection: `query_name` = the run's name, `execution_time_ms` = wall-clock time
  across the body (a monotonic clock, not `now()`), `rows_returned` =
  `step.rows` (None unless the body sets it), `success`, `error_message`
  (exception type and message, truncated), `kind` ('step' unless given),
  `run_id` and `try_number`.
- A failing step is logged and its exception re-raised unchanged. If the row
  itself cannot be written (the connection is gone), a warning is logged and
  the step's own exception still propagates.

Name steps so that a name is unique within a run: `<dag_id>.<task_id>` is; a task
that runs several steps (one per channel, say) appends parts (`run.step("load",
"UCxyz")`). Budgets for slow steps (`analytics.step_budgets`) match these names with
LIKE patterns.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import psycopg
from psycopg.pq import TransactionStatus

from ytempire.warehouse import sql_file

log = logging.getLogger(__name__)

KINDS = ("step", "query")
MAX_ERROR_CHARS = 2000
MAX_NAME_CHARS = 100


@dataclass
class Step:
    """What the body of `logged_step` reports; `rows` is the one field it sets."""

    name: str
    rows: int | None = None
    elapsed_ms: int | None = None
    success: bool | None = None


@dataclass(frozen=True)
class TaskRun:
    """The task run a step belongs to: `name` (`<dag_id>.<task_id>`) names its steps."""

    name: str
    run_id: str | None = None
    try_number: int | None = None

    def step(self, *parts: str) -> TaskRun:
        """The same run, naming a step within it: `<name>.<part>.<part>`."""
        return replace(self, name=".".join((self.name, *parts)))


@contextmanager
def logged_step(
    conn: psycopg.Connection,
    run: TaskRun,
    *,
    kind: str = "step",
    transaction: bool = True,
) -> Iterator[Step]:
    """Run a step's SQL and log its duration, rows and outcome (see the module docstring)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    if conn.info.transaction_status != TransactionStatus.IDLE:
        raise RuntimeError(
            "logged_step needs a connection outside a transaction: the step's work and "
            "its log row are separate transactions"
        )
    if len(run.name) > MAX_NAME_CHARS:
        raise ValueError(f"step name longer than {MAX_NAME_CHARS} characters: {run.name!r}")

    step = Step(run.name)
    error: BaseException | None = None
    started = time.perf_counter()
    try:
        if transaction:
            with conn.transaction():
                yield step
        else:
            yield step
            _end_open_transaction(conn, commit=True)
    except BaseException as exc:
        error = exc
        try:
            _end_open_transaction(conn, commit=False)
        except psycopg.Error:
            log.warning("could not roll back the failed step %s", step.name, exc_info=True)
        raise
    finally:
        step.elapsed_ms = round((time.perf_counter() - started) * 1000)
        step.success = error is None
        _write(conn, step, error, kind, run)


def _end_open_transaction(conn: psycopg.Connection, *, commit: bool) -> None:
    if conn.closed or conn.info.transaction_status == TransactionStatus.IDLE:
        return
    if commit and conn.info.transaction_status == TransactionStatus.INTRANS:
        conn.commit()
    else:
        conn.rollback()


def _write(conn: psycopg.Connection, step: Step, error: BaseException | None, kind: str,
           run: TaskRun) -> None:
    params = {
        "name": step.name,
        "elapsed_ms": step.elapsed_ms,
        "rows": step.rows,
        "success": step.success,
        "error": None if error is None else f"{type(error).__name__}: {error}"[:MAX_ERROR_CHARS],
        "kind": kind,
        "run_id": run.run_id,
        "try_number": run.try_number,
    }
    try:
        with conn.transaction():
            conn.execute(sql_file("refresh/log_step.sql"), params)
    except psycopg.Error:
        if error is None:
            raise
        log.warning("could not log the failure of step %s", step.name, exc_info=True)
    log.info(
        "step %s: %s in %d ms, %s row(s)",
        step.name, "succeeded" if step.success else "failed", step.elapsed_ms, step.rows,
    )

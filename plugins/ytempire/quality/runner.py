"""What the tasks of analytics_quality_checks do against the warehouse and Slack.

Every function takes the run id and the run's logical time explicitly: checks judge
against the logical time, alert state moves with logical times, and re-running a
run replaces its rows and decides the same way (idempotent).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime

import psycopg
from psycopg.rows import dict_row
from psycopg.types.string import TextLoader

from ytempire import settings, slack
from ytempire.quality import alerts, messages
from ytempire.quality.checks import REGISTRY, Registry
from ytempire.steplog import TaskRun, logged_step
from ytempire.warehouse import sql_file

log = logging.getLogger(__name__)

# ---- checks --------------------------------------------------------------------------------


def summarize(
    check_name: str, check_class: str, rows: Iterable[Sequence], registry: Registry = REGISTRY
) -> dict:
    """The small XCom a check task returns: counts by status, alerting rows."""
    alerting_statuses = registry.check_class(check_class).alerting
    may_alert = check_name in registry.alerting_checks(check_class)
    statuses: dict[str, int] = {}
    alerting = []
    for key, status in rows:
        statuses[status] = statuses.get(status, 0) + 1
        if may_alert and status in alerting_statuses:
            alerting.append(key)
    return {
        "check": check_name,
        "class": check_class,
        "rows": sum(statuses.values()),
        "statuses": dict(sorted(statuses.items())),
        "alerting": len(alerting),
    }


def missing_objects(conn: psycopg.Connection) -> list[str]:
    """What the checks need that the warehouse lacks (pending migrations)."""
    return [name for (name,) in conn.execute(sql_file("checks/warehouse_ready.sql"))]


def run_sql_check(
    conn: psycopg.Connection,
    name: str,
    run: TaskRun,
    logical_time: datetime,
    registry: Registry = REGISTRY,
) -> dict:
    """Run one SQL check and replace this run's rows of it, in one transaction, timed
    as a pipeline step named after `run`."""
    check = registry.sql_check(name)
    run_id = run.run_id
    if run_id is None:
        raise ValueError("a check's results are kept by run: its TaskRun needs a run id")
    with logged_step(conn, run) as logged:
        cur = conn.cursor()
        cur.adapters.register_loader("jsonb", TextLoader)  # details stored exactly as computed
        found = cur.execute(sql_file(check.sql_file), {"logical_time": logical_time}).fetchall()
        rows = _store(conn, run_id, logical_time, check.check_class, check.name,
                      _json_array(found))
        logged.rows = len(rows)
    _log_rows(check.name, rows)
    return summarize(check.name, check.check_class, rows, registry)


def _json_array(found: Sequence[Sequence]) -> str:
    """[{check_key, status, details}] with each row's details kept as the JSON text it was."""
    items = (f'{{"check_key": {json.dumps(key)}, "status": {json.dumps(status)}, '
             f'"details": {details or "null"}}}' for key, status, details in found)
    return "[" + ", ".join(items) + "]"


def _store(conn: psycopg.Connection, run_id: str, logical_time: datetime, check_class: str,
           check_name: str, rows_json: str) -> list[tuple]:
    """The one place a check's result rows are written (this run's rows replaced)."""
    params = {"run_id": run_id, "logical_time": logical_time, "check_class": check_class,
              "check_name": check_name, "rows": rows_json}
    return conn.execute(sql_file("checks/record_results.sql"), params).fetchall()


def record_results(
    conn: psycopg.Connection,
    *,
    run_id: str,
    logical_time: datetime,
    check_class: str,
    check_name: str,
    rows: Sequence[Mapping],
    registry: Registry = REGISTRY,
) -> dict:
    """Replace this run's rows of a check computed outside SQL ({check_key, status, details})."""
    with conn.transaction():
        stored = _store(conn, run_id, logical_time, check_class, check_name,
                        json.dumps(list(rows)))
    _log_rows(check_name, stored)
    return summarize(check_name, check_class, stored, registry)


def _log_rows(check_name: str, rows: Sequence[Sequence]) -> None:
    if not rows:
        log.info("%s: no result rows", check_name)
    for key, status in rows:
        log.info("%s: %-10s %s", check_name, status, key)


# ---- branch --------------------------------------------------------------------------------


def _alerting_rows(
    conn: psycopg.Connection, run_id: str, check_names: Sequence[str], registry: Registry
) -> list[dict]:
    statuses = sorted({s for cls in registry.classes for s in cls.alerting})
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(
            sql_file("checks/run_results.sql"),
            {"run_id": run_id, "check_names": list(check_names), "statuses": statuses},
        ).fetchall()
    return alerts.alerting_only(rows, registry)


def _states(conn: psycopg.Connection) -> list[alerts.AlertState]:
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(sql_file("checks/alert_states.sql")).fetchall()
    return [alerts.AlertState.from_row(r) for r in rows]


def choose_branches(
    conn: psycopg.Connection,
    run_id: str,
    logical_time: datetime,
    succeeded: Sequence[str],
    registry: Registry = REGISTRY,
) -> list[str]:
    """The task ids the branch follows (read-only: the alert tasks change the state)."""
    rows = _alerting_rows(conn, run_id, succeeded, registry)
    evaluation = alerts.evaluate(succeeded, rows, _states(conn), logical_time, registry)
    if evaluation.unknown:
        log.warning(
            "not judged (a check of theirs did not succeed; its task failure is "
            "alerted on its own): %s", ", ".join(evaluation.unknown),
        )
    log.info("failing: %s", ", ".join(evaluation.failing) or "none")
    log.info("recovering: %s", ", ".join(evaluation.recovering) or "none")
    return alerts.route(evaluation, registry)


# ---- alerts --------------------------------------------------------------------------------


def _send(message: dict) -> None:
    slack.send(message["text"], message["blocks"])


@contextmanager
def _class_locked(conn: psycopg.Connection, check_class: str) -> Iterator[None]:
    """One run at a time decides and sends for `check_class` (lock_alert_class.sql): one
    message per condition even when two runs overlap, and no row or table lock is held
    while Slack is called. The connection runs in autocommit from here on."""
    conn.autocommit = True
    params = {"check_class": check_class}
    conn.execute(sql_file("checks/lock_alert_class.sql"), params)
    try:
        yield
    finally:
        if not (conn.closed or conn.broken):
            conn.execute(sql_file("checks/unlock_alert_class.sql"), params)


def _state(conn: psycopg.Connection, check_class: str) -> alerts.AlertState | None:
    return next((s for s in _states(conn) if s.check_class == check_class), None)


def _save_sent(
    conn: psycopg.Connection,
    check_class: str,
    decision: alerts.Decision,
    run_id: str,
    logical_time: datetime,
    rows_total: int,
) -> None:
    recovery = decision.kind == alerts.RECOVERY
    params = {
        "check_class": check_class,
        "alerting": not recovery,
        "condition": json.dumps(alerts.condition_to_json(decision.condition)),
        "episode_started_at": None if recovery else decision.episode_started_at,
        "message_kind": decision.kind,
        "run_id": run_id,
        "logical_time": logical_time,
        "rows_total": rows_total,
    }
    with conn.transaction():
        conn.execute(sql_file("checks/save_alert_state.sql"), params)
        # The log keeps what the message was about: for a recovery, what cleared.
        logged = decision.cleared if recovery else decision.condition
        params["condition"] = json.dumps(alerts.condition_to_json(logged))
        conn.execute(sql_file("checks/log_alert.sql"), params)


def alert_class(
    conn: psycopg.Connection,
    class_name: str,
    run: messages.RunInfo,
    succeeded: Sequence[str],
    registry: Registry = REGISTRY,
) -> alerts.Decision:
    """Send (or, unchanged within the quiet period, suppress) one class's alert.

    The message is sent before the state is committed: a failed post leaves the
    state as it was, so the retry sends it; at worst (the post went through, the
    commit did not) a message is sent twice."""
    cls = registry.check_class(class_name)
    checks = [c for c in registry.alerting_checks(class_name) if c in succeeded]
    with _class_locked(conn, class_name):
        rows = [
            r for r in _alerting_rows(conn, run.run_id, checks, registry)
            if r["check_class"] == class_name
        ]
        decision = alerts.decide(
            _state(conn, class_name), alerts.condition_of(rows), run.logical_time,
            settings.ALERT_QUIET_PERIOD,
        )
        if decision.kind == alerts.RECOVERY:
            # Only notify_recoveries sends recoveries; the branch routes there.
            decision = alerts.Decision(alerts.NOTHING, "nothing alerts in this class")
        if decision.sends:
            _send(messages.alert_message(
                cls, rows, decision, run, settings.ALERT_MAX_ROWS, registry))
            _save_sent(conn, class_name, decision, run.run_id, run.logical_time, len(rows))
        elif decision.kind == alerts.SUPPRESSED:
            conn.execute(
                sql_file("checks/touch_alert_state.sql"),
                {"check_class": class_name, "logical_time": run.logical_time},
            )
    log.info("%s: %s (%s); %d alerting row(s)", class_name, decision.kind, decision.reason,
             len(rows))
    return decision


def notify_recoveries(
    conn: psycopg.Connection,
    run: messages.RunInfo,
    succeeded: Sequence[str],
    registry: Registry = REGISTRY,
) -> list[str]:
    """One recovery message for each class that alerted before and passes now."""
    recovered = []
    for cls in registry.classes:
        checks = registry.alerting_checks(cls.name)
        if not set(checks) <= set(succeeded):
            continue
        with _class_locked(conn, cls.name):
            state = _state(conn, cls.name)
            if state is None or not state.alerting:
                continue
            rows = [
                r for r in _alerting_rows(conn, run.run_id, checks, registry)
                if r["check_class"] == cls.name
            ]
            decision = alerts.decide(
                state, alerts.condition_of(rows), run.logical_time, settings.ALERT_QUIET_PERIOD
            )
            if decision.kind != alerts.RECOVERY:
                continue
            _send(messages.recovery_message(cls, decision, run, settings.ALERT_MAX_ROWS))
            _save_sent(conn, cls.name, decision, run.run_id, run.logical_time, 0)
        log.info("%s: recovered (failing since %s)", cls.name, decision.episode_started_at)
        recovered.append(cls.name)
    return recovered

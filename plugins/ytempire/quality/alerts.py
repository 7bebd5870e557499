"""Which classes fail, where the branch goes, and whether a message is due (no I/O).

A class's *condition* is the set of its alerting (check, key, status) triples in
one run: keys are tables, days, channels or query names, never the changing
numbers, so a condition stays the same while the same things stay broken. Times
are the runs' logical times, so re-running a run decides the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from ytempire.quality.checks import REGISTRY, Registry

Triple = tuple[str, str, str]

ALL_CLEAR_TASK_ID = "all_clear"
RECOVERY_TASK_ID = "notify_recoveries"

# Decision kinds that send a Slack message.
ALERT = "alert"  # a class starts failing (no earlier alert, or it had recovered)
CHANGED = "changed"  # still failing, but another set of (check, key, status)
REMINDER = "reminder"  # unchanged for the whole quiet period
RECOVERY = "recovery"  # a class that alerted passes again
# Decision kinds that send nothing.
SUPPRESSED = "suppressed"  # unchanged within the quiet period
NOTHING = "nothing"  # clean, and not alerting before
OUT_OF_ORDER = "out_of_order"  # an older run than the one the state is at

SENDING = frozenset({ALERT, CHANGED, REMINDER, RECOVERY})


@dataclass(frozen=True)
class AlertState:
    check_class: str
    alerting: bool
    condition: frozenset[Triple]
    episode_started_at: datetime | None
    last_sent_at: datetime
    last_message_kind: str
    last_run_id: str
    evaluated_at: datetime

    @classmethod
    def from_row(cls, row: Mapping) -> AlertState:
        return cls(
            check_class=row["check_class"],
            alerting=row["alerting"],
            condition=condition_from_json(row["condition"]),
            episode_started_at=row["episode_started_at"],
            last_sent_at=row["last_sent_at"],
            last_message_kind=row["last_message_kind"],
            last_run_id=row["last_run_id"],
            evaluated_at=row["evaluated_at"],
        )


@dataclass(frozen=True)
class Decision:
    kind: str
    reason: str
    condition: frozenset[Triple] = frozenset()
    new: frozenset[Triple] = frozenset()
    cleared: frozenset[Triple] = frozenset()
    episode_started_at: datetime | None = None

    @property
    def sends(self) -> bool:
        return self.kind in SENDING


def condition_of(rows: Iterable[Mapping]) -> frozenset[Triple]:
    return frozenset((r["check_name"], r["check_key"], r["status"]) for r in rows)


def condition_to_json(condition: Iterable[Triple]) -> list[list[str]]:
    """Sorted, so equal conditions are stored identically."""
    return [list(t) for t in sorted(condition)]


def condition_from_json(value: Iterable[Iterable[str]] | None) -> frozenset[Triple]:
    return frozenset(tuple(t) for t in (value or ()))  # type: ignore[misc]


def decide(
    state: AlertState | None,
    condition: frozenset[Triple],
    logical_time: datetime,
    quiet_period: timedelta,
) -> Decision:
    """What to send for one class, given its state and this run's condition."""
    if state is not None and logical_time < state.evaluated_at:
        return Decision(
            OUT_OF_ORDER,
            f"a later run ({state.evaluated_at.isoformat()}) already decided this class",
            condition,
        )
    if state is None or not state.alerting:
        if not condition:
            return Decision(NOTHING, "nothing alerts", condition)
        return Decision(ALERT, "starts failing", condition, new=condition, episode_started_at=logical_time)
    if not condition:
        return Decision(
            RECOVERY,
            "no alerting result any more",
            condition,
            cleared=state.condition,
            episode_started_at=state.episode_started_at,
        )
    started = state.episode_started_at or state.last_sent_at
    if condition != state.condition:
        return Decision(
            CHANGED,
            "the set of failing keys or statuses changed",
            condition,
            new=condition - state.condition,
            cleared=state.condition - condition,
            episode_started_at=started,
        )
    since = logical_time - state.last_sent_at
    if since >= quiet_period:
        return Decision(
            REMINDER,
            f"unchanged for {_hours(since)} (quiet period {_hours(quiet_period)})",
            condition,
            episode_started_at=started,
        )
    return Decision(
        SUPPRESSED,
        f"unchanged since {state.last_sent_at.isoformat()}; next reminder at "
        f"{(state.last_sent_at + quiet_period).isoformat()}",
        condition,
        episode_started_at=started,
    )


def _hours(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:g} h"


def alerting_only(rows: Iterable[dict], registry: Registry = REGISTRY) -> list[dict]:
    """The rows whose status alerts for their class, from checks that may alert."""
    alerting_checks = {
        name for cls in registry.classes for name in registry.alerting_checks(cls.name)
    }
    return [
        r
        for r in rows
        if r["check_name"] in alerting_checks
        and r["status"] in registry.check_class(r["check_class"]).alerting
    ]


@dataclass(frozen=True)
class Evaluation:
    """What the branch knows after the checks ran."""

    failing: tuple[str, ...]  # classes with alerting rows
    unknown: tuple[str, ...]  # classes with a check that did not succeed
    recovering: tuple[str, ...]  # classes that alerted before and pass now


def evaluate(
    succeeded_checks: Iterable[str],
    alerting_rows: Iterable[Mapping],
    states: Iterable[AlertState],
    logical_time: datetime,
    registry: Registry = REGISTRY,
) -> Evaluation:
    """Classify every class. A class is judged only when all its alerting checks ran:
    otherwise a missing result could look like a recovery."""
    succeeded = set(succeeded_checks)
    failing_classes = {r["check_class"] for r in alerting_rows}
    by_class = {s.check_class: s for s in states}
    failing, unknown, recovering = [], [], []
    for cls in registry.classes:
        if not set(registry.alerting_checks(cls.name)) <= succeeded:
            unknown.append(cls.name)
        elif cls.name in failing_classes:
            failing.append(cls.name)
        else:
            state = by_class.get(cls.name)
            if state is not None and state.alerting and logical_time >= state.evaluated_at:
                recovering.append(cls.name)
    return Evaluation(tuple(failing), tuple(unknown), tuple(recovering))


def route(evaluation: Evaluation, registry: Registry = REGISTRY) -> list[str]:
    """The branch: one alert task per failing class, the recovery task when a class
    recovered, and `all_clear` when every class was judged and none fails."""
    task_ids = [registry.check_class(name).alert_task_id for name in evaluation.failing]
    if evaluation.recovering:
        task_ids.append(RECOVERY_TASK_ID)
    if not evaluation.failing and not evaluation.unknown:
        task_ids.append(ALL_CLEAR_TASK_ID)
    return task_ids

"""Test helper: watching warehouse sessions from another connection, so that a test
acts at a known point of another session's work (waiting on a lock, running a
statement) instead of sleeping and hoping."""

from __future__ import annotations

import time
from collections.abc import Callable

import psycopg

ACTIVITY = ("select pid, state, wait_event_type, wait_event, query from pg_stat_activity "
            "where datname = current_database() and pid <> pg_backend_pid()")


def wait_until(found: Callable[[], object], what: str, timeout_s: float = 30) -> object:
    """Poll `found` until it returns something true; fail naming `what` after the timeout."""
    deadline = time.monotonic() + timeout_s
    while not (result := found()):
        if time.monotonic() > deadline:
            raise TimeoutError(f"not seen within {timeout_s:.0f} s: {what}")
        time.sleep(0.02)
    return result


def sessions(observer: psycopg.Connection) -> list[tuple]:
    """(pid, state, wait_event_type, wait_event, query) of the database's other sessions."""
    return observer.execute(ACTIVITY).fetchall()


def waiting_on_lock(observer: psycopg.Connection, pid: int | None = None,
                    timeout_s: float = 30) -> tuple:
    """The first other session (or session `pid`) waiting for a heavyweight lock."""
    def find() -> tuple | None:
        return next((s for s in sessions(observer) if s[2] == "Lock"
                     and (pid is None or s[0] == pid)), None)
    return wait_until(find, f"a session waiting on a lock (pid {pid})", timeout_s)  # type: ignore[return-value]


def running(observer: psycopg.Connection, text: str, timeout_s: float = 30) -> int:
    """The pid of the first other session whose current statement contains `text`."""
    def find() -> int | None:
        return next((s[0] for s in sessions(observer)
                     if s[1] == "active" and text in (s[4] or "")), None)
    return wait_until(find, f"a statement containing {text!r}", timeout_s)  # type: ignore[return-value]


def gone(observer: psycopg.Connection, pid: int, timeout_s: float = 30) -> float:
    """Seconds until backend `pid` has ended."""
    started = time.monotonic()
    wait_until(lambda: all(s[0] != pid for s in sessions(observer)),
               f"backend {pid} ended", timeout_s)
    return time.monotonic() - started


def locks_of(observer: psycopg.Connection, pid: int) -> list[tuple]:
    """(locktype, relation, mode) of the row and table locks backend `pid` holds."""
    return observer.execute(
        "select locktype, relation::regclass::text, mode from pg_locks where pid = %s "
        "and granted and locktype in ('relation', 'tuple', 'transactionid') "
        "and coalesce(relation::regclass::text, '') not like 'pg_%%' order by 1, 2, 3",
        (pid,)).fetchall()

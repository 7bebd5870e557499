"""Monthly fact partitions (plain path), created one way by every DAG.

`analytics.ensure_fact_partitions(from, to)` creates the UTC months overlapping
[from, to) and moves stray DEFAULT rows into their month; it is lock-safe and
runs with the owner's rights, so the loader role may call it. On TimescaleDB it
returns no rows (hypertables create their own chunks).
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import psycopg

from ytempire import settings
from ytempire.warehouse import set_lock_timeout, sql_file

log = logging.getLogger(__name__)


def ensure_fact_partitions(conn: psycopg.Connection, start: datetime,
                           end: datetime) -> list[tuple[str, bool]]:
    """(month, created) for each month of [start, end) and of stray DEFAULT rows. Creating
    one locks the fact table against every reader and writer, who queue behind it while
    it waits: it waits at most DDL_LOCK_TIMEOUT, then fails (and its task is retried)."""
    with conn.transaction():
        set_lock_timeout(conn, settings.DDL_LOCK_TIMEOUT)
        cur = conn.execute(sql_file("partitions/ensure_fact_partitions.sql"),
                           {"range_start": start, "range_end": end})
        return [(month, created) for month, created in cur]


def months_around(logical_time: datetime) -> tuple[datetime, datetime]:
    """The month before the logical warehouse day's month to PARTITION_MONTHS_AHEAD after it."""
    month = logical_time.astimezone(settings.WAREHOUSE_ZONE).date().replace(day=1)
    return (_utc_month_start(month, -1),
            _utc_month_start(month, settings.PARTITION_MONTHS_AHEAD + 1))


def youtube_days(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """Every hour of the YouTube (Pacific) days first_day .. last_day."""
    zone = ZoneInfo(settings.YOUTUBE_TZ)
    return (datetime.combine(first_day, time(0), zone),
            datetime.combine(last_day + timedelta(days=1), time(0), zone))


def _utc_month_start(month: date, months_later: int) -> datetime:
    years, month_index = divmod(month.month - 1 + months_later, 12)
    return datetime(month.year + years, month_index + 1, 1, tzinfo=UTC)


def create_fact_partitions(conn: psycopg.Connection, start: datetime, end: datetime) -> list[str]:
    """`ensure_fact_partitions`, logged: the months it created."""
    months = ensure_fact_partitions(conn, start, end)
    created = [month for month, was_created in months if was_created]
    log.info("fact partitions for [%s, %s): %s; created: %s", start, end,
             [m for m, _ in months] or "none (TimescaleDB)", created or "none")
    return created

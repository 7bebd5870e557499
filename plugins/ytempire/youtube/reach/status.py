"""After a run's loads: which channels still wait for their reach job's first reports,
and which days should have a report by now but have none loaded.

YouTube's lag: a new job's first reports come about 48 hours after its creation, with
30 days of back-fill; until then an empty listing is expected, not an error.
Retention: YouTube lists reports for 60 days, so a day not loaded within that time can
no longer be.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

import psycopg

from ytempire.settings import YOUTUBE_ZONE
from ytempire.warehouse import sql_file
from ytempire.youtube.reach.fetch import REACH_REPORT_TYPE, SQL

log = logging.getLogger(__name__)

FIRST_REPORTS_AFTER = timedelta(hours=48)
BACKFILL_DAYS = 30
RETENTION_DAYS = 60


def expected_days(job_created_at: datetime, logical_time: datetime) -> list[date]:
    """Days a report should exist for by now: from the job's back-fill or the retention
    horizon, to the last day past YouTube's 48-hour lag."""
    if logical_time < job_created_at + FIRST_REPORTS_AFTER:
        return []
    today = logical_time.astimezone(YOUTUBE_ZONE).date()
    first = max(job_created_at.astimezone(YOUTUBE_ZONE).date() - timedelta(days=BACKFILL_DAYS),
                today - timedelta(days=RETENTION_DAYS - 2))
    last = (logical_time - FIRST_REPORTS_AFTER).astimezone(YOUTUBE_ZONE).date() - timedelta(
        days=1)
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def status(conn: psycopg.Connection, channel_ids: Sequence[str],
           logical_time: datetime) -> dict[str, Any]:
    waiting, missing = [], {}
    for cid, created_at, loaded in conn.execute(sql_file(SQL + "jobs_and_days.sql"), {
            "channel_ids": list(channel_ids), "report_type_id": REACH_REPORT_TYPE}):
        if not loaded and logical_time < created_at + FIRST_REPORTS_AFTER + timedelta(days=1):
            waiting.append(cid)
            continue
        days = [d.isoformat() for d in expected_days(created_at, logical_time)
                if d not in set(loaded)]
        if days:
            missing[cid] = days
            log.warning("channel %s: %d day(s) have no reach report loaded (YouTube keeps "
                        "reports %d days): %s", cid, len(days), RETENTION_DAYS, days)
    return {"waiting_for_first_reports": sorted(waiting), "days_without_report": missing}

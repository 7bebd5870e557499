"""The Data API units experiments may spend today, per Google Cloud project.

A project's quota (YTEMPIRE_YOUTUBE_DAILY_QUOTA_UNITS, 10,000 by default) is shared with
the other YouTube DAGs, whose needs are estimated from the videos of the project's
active channels: counters every hour (`videos.list`, 50 ids a unit), the uploads and
metadata sync every YTEMPIRE_METADATA_SYNC_HOURS and before each daily revenue load
(`channels.list`, `playlistItems.list` pages, `videos.list`). Experiments get what is
left, at most YTEMPIRE_EXPERIMENT_SWITCHES_PER_DAY switches (50 units each), less what
they already spent that Pacific day (`analytics.youtube_quota_ledger`). The quota resets
at midnight Pacific.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

import psycopg

from ytempire import settings
from ytempire.experiments.registry import one_row, run_sql
from ytempire.experiments.video_api import WRITE_UNITS
from ytempire.settings import YOUTUBE_ZONE
from ytempire.youtube.client import project_of


def collector_units(videos: int) -> int:
    """Estimated daily Data API units the other DAGs spend on a channel of `videos`."""
    pages = max(1, math.ceil(videos / 50))
    syncs = 24 / settings.METADATA_SYNC_HOURS + 1
    return 24 * pages + math.ceil(syncs * (1 + 2 * pages))


@dataclass
class Budget:
    project: str
    day: date
    units_left: int
    switches_left: int

    def can_switch(self) -> bool:
        return self.switches_left > 0 and self.units_left >= WRITE_UNITS

    def spend(self, units: int, switch: bool) -> None:
        self.units_left -= units
        self.switches_left -= int(switch)

    def describe(self) -> str:
        return (f"project {self.project}, {self.day}: {self.switches_left} switch(es) and "
                f"{self.units_left} unit(s) left for experiments")


def budget(conn: psycopg.Connection, project: str, at: datetime) -> Budget:
    day = at.astimezone(YOUTUBE_ZONE).date()
    reserved = sum(collector_units(videos) for _, conn_id, videos in run_sql(
        conn, "collector_units", {"default_conn_id": settings.YOUTUBE_CONN_ID})
        if project_of(conn_id) == project)
    spent, switches = one_row(conn, "units_spent", {"project": project, "pacific_day": day})
    units_left = settings.YOUTUBE_DAILY_QUOTA_UNITS - reserved - int(spent)
    return Budget(project, day, units_left,
                  settings.EXPERIMENT_SWITCHES_PER_DAY - int(switches))


def spend(conn: psycopg.Connection, found: Budget, units: int, purpose: str,
          experiment_id: int, run_id: str, at: datetime) -> None:
    """Record units spent (inside the caller's transaction)."""
    found.spend(units, purpose == "switch")
    run_sql(conn, "spend_units", {"project": found.project, "pacific_day": found.day,
                                  "purpose": purpose, "units": units,
                                  "experiment_id": experiment_id, "run_id": run_id, "at": at})

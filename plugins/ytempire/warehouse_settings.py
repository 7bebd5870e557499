"""The deploy's settings step: the settings the warehouse derives objects from.

`WAREHOUSE_TZ`, `YTEMPIRE_COMPRESS_AFTER_DAYS` and `YTEMPIRE_RELOAD_WINDOW_DAYS` are
stored in `analytics.warehouse_settings` before the migrations run (which read them
from there, never from their own text), and what they derive is re-applied after
them by `analytics.apply_warehouse_settings`: the TimescaleDB policies on every
deploy; on the plain path, a rebuild of `mv_historical_performance` when the zone
changed. Changing a setting and deploying again is all it takes.
"""

from __future__ import annotations

import logging

import psycopg

from ytempire import settings
from ytempire.warehouse import sql_file

log = logging.getLogger(__name__)


class SettingsError(Exception):
    """A setting cannot take effect on this warehouse; the message says what to do."""


def wanted() -> dict[str, str]:
    return {
        "warehouse_tz": settings.WAREHOUSE_TZ,
        "compress_after_days": str(settings.COMPRESS_AFTER_DAYS),
        "reload_window_days": str(settings.RELOAD_WINDOW_DAYS),
    }


def store(conn: psycopg.Connection, flavor: str) -> list[str]:
    """Store the settings; the names whose stored value changed (first values excluded)."""
    values = wanted()
    with conn.transaction():
        changed = conn.execute(sql_file("deploy/store_settings.sql"),
                               {"names": list(values), "values": list(values.values())}).fetchall()
        for name, previous, value in changed:
            if name == "warehouse_tz" and previous is not None and flavor == "timescale":
                raise SettingsError(
                    f"WAREHOUSE_TZ changed from {previous!r} to {value!r}, but this TimescaleDB "
                    f"warehouse's continuous aggregate analytics.mv_historical_performance is "
                    f"bucketed by {previous!r} and cannot follow. Nothing was changed. Deploy "
                    f"with WAREHOUSE_TZ={previous!r} again, or deploy a new warehouse with the "
                    "new zone and reload its history (docs/operations.md, Settings)."
                )
    for name, previous, value in changed:
        log.info("setting %s: %s -> %s", name, previous, value)
    return [name for name, previous, _ in changed if previous is not None]


def apply(conn: psycopg.Connection, changed: list[str]) -> list[str]:
    """Re-apply what the stored settings derive; what was done."""
    with conn.transaction():
        done = conn.execute(sql_file("deploy/apply_settings.sql"), {"changed": changed}).fetchone()[0]
    for line in done:
        log.info("settings applied: %s", line)
    return done

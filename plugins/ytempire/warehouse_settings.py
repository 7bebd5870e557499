"""The deploy's settings steps: the settings the warehouse derives objects from.

`WAREHOUSE_TZ`, `YTEMPIRE_COMPRESS_AFTER_DAYS` and `YTEMPIRE_RELOAD_WINDOW_DAYS` live in
`analytics.warehouse_settings`. Before the migrations, a setting stored for the first
time is inserted (migrations build objects from it: TimescaleDB's daily aggregates are
bucketed by the zone) and a change that cannot take effect is refused. After the
migrations and the repeatable files, the new values are stored and what they derive
is re-applied by `analytics.apply_warehouse_settings` in one transaction: the
TimescaleDB policies on every deploy; on the plain path, a rebuild of the daily
rollups when the zone changed. A deploy that fails or is killed before that commit
leaves the old values stored, so the next deploy still sees the change. Changing a
setting and deploying again is all it takes.
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


def store_new(conn: psycopg.Connection, flavor: str) -> None:
    """Refuse a change that cannot take effect; store settings seen for the first time."""
    values = wanted()
    stored = dict(conn.execute(sql_file("deploy/stored_settings.sql")).fetchall())
    previous = stored.get("warehouse_tz")
    if flavor == "timescale" and previous not in (None, values["warehouse_tz"]):
        raise SettingsError(
            f"WAREHOUSE_TZ changed from {previous!r} to {values['warehouse_tz']!r}, but this "
            f"TimescaleDB warehouse's continuous aggregates (analytics.mv_historical_performance,"
            f" analytics.mv_video_daily_performance) are bucketed by {previous!r} and cannot "
            f"follow. Nothing was changed. Deploy with WAREHOUSE_TZ={previous!r} again, or "
            "deploy a new warehouse with the new zone and reload its history "
            "(docs/operations.md, Settings)."
        )
    with conn.transaction():
        conn.execute(sql_file("deploy/store_new_settings.sql"),
                     {"names": list(values), "values": list(values.values())})


def store_and_apply(conn: psycopg.Connection) -> list[str]:
    """Store the settings and re-apply what they derive, in one transaction; what was done."""
    values = wanted()
    with conn.transaction():
        changed = conn.execute(sql_file("deploy/store_settings.sql"),
                               {"names": list(values), "values": list(values.values())}).fetchall()
        done = conn.execute(sql_file("deploy/apply_settings.sql"),
                            {"changed": [name for name, _, _ in changed]}).fetchone()[0]
    for name, previous, value in changed:
        log.info("setting %s: %s -> %s", name, previous, value)
    for line in done:
        log.info("settings applied: %s", line)
    return done

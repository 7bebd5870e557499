"""Bad input goes to analytics.load_quarantine with its raw payload and a reason."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import psycopg
from psycopg.types.json import Jsonb

from ytempire.warehouse import sql_file


@dataclass(frozen=True)
class Rejected:
    reason: str
    payload: object
    channel_id: str | None = None
    video_id: str | None = None
    day: date | None = None


def quarantine(conn: psycopg.Connection, source: str, rows: list[Rejected], run_id: str) -> int:
    """Stream rejected rows into the quarantine table (inside the caller's transaction)."""
    if not rows:
        return 0
    with conn.cursor() as cur, cur.copy(sql_file("quarantine/copy_rejected.sql")) as copy:
        for row in rows:
            payload = Jsonb(json.loads(json.dumps(row.payload, default=str)))
            copy.write_row((source, row.reason, payload, row.channel_id, row.video_id, row.day,
                            run_id))
    return len(rows)

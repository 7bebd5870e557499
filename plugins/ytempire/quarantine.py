"""Bad input goes to analytics.load_quarantine with its raw payload and a reason."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import psycopg
from psycopg.types.json import Jsonb

from ytempire.warehouse import copy_rows


@dataclass(frozen=True)
class Rejected:
    reason: str
    payload: object
    channel_id: str | None = None
    video_id: str | None = None
    day: date | None = None


def quarantine(conn: psycopg.Connection, source: str, rows: list[Rejected],
               run_id: str | None) -> int:
    """Stream rejected rows into the quarantine table (inside the caller's transaction)."""
    return copy_rows(conn, "quarantine/copy_rejected.sql", (
        (source, row.reason, Jsonb(json.loads(json.dumps(row.payload, default=str))),
         row.channel_id, row.video_id, row.day, run_id) for row in rows))

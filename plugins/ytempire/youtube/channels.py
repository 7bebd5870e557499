"""The channel registry: who is collected, and the re-authorisation mark."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import psycopg
from psycopg.rows import class_row

from ytempire import settings
from ytempire.warehouse import sql_file


@dataclass(frozen=True)
class ActiveChannel:
    channel_id: str
    conn_id: str
    monetized: bool
    uploads_playlist_id: str | None
    last_uploads_sync_at: datetime | None


def active_channels(conn: psycopg.Connection) -> list[ActiveChannel]:
    with conn.cursor(row_factory=class_row(ActiveChannel)) as cur:
        cur.execute(sql_file("youtube/active_channels.sql"),
                    {"default_conn_id": settings.YOUTUBE_CONN_ID})
        return cur.fetchall()


def mark_reauthorisation(conn: psycopg.Connection, channel_id: str, reason: str | None,
                         at: datetime) -> None:
    """Record (reason given) or clear (reason None) that a channel must be re-authorised."""
    conn.execute(sql_file("youtube/mark_reauthorisation.sql"),
                 {"channel_id": channel_id, "reason": reason, "at": at.isoformat()})

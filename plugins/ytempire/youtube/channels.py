"""The plan of a YouTube load: the active channels of the registry in batches, one
mapped load task per batch (`plan -> expand -> summarise`)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

import psycopg
from psycopg.rows import class_row

from ytempire import settings
from ytempire.warehouse import sql_file

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Channel:
    """An active channel as a load needs it; travels through XCom as a dict."""

    channel_id: str
    conn_id: str  # the Airflow connection it authorises through
    monetized: bool

    @classmethod
    def of(cls, data: dict[str, Any]) -> Channel:
        return cls(data["channel_id"], data["conn_id"], data["monetized"])


def active_channels(conn: psycopg.Connection) -> list[Channel]:
    with conn.cursor(row_factory=class_row(Channel)) as cur:
        cur.execute(sql_file("youtube/active_channels.sql"),
                    {"default_conn_id": settings.YOUTUBE_CONN_ID})
        return cur.fetchall()


def batches(items: Sequence[T], size: int) -> list[list[T]]:
    """`items` in consecutive groups of `size`: channels per mapped task, ids per API call."""
    if size < 1:
        raise ValueError("batch size must be at least 1")
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def plan_batches(conn: psycopg.Connection, size: int,
                 only: Sequence[str] | None = None) -> list[list[dict[str, Any]]]:
    """The active channels (or those of `only`, which must all be active) in batches of
    `size`, as dicts for XCom."""
    channels = active_channels(conn)
    if only:
        unknown = sorted(set(only) - {c.channel_id for c in channels})
        if unknown:
            raise ValueError(f"channel_ids not active in dim_channel: {unknown}")
        channels = [c for c in channels if c.channel_id in set(only)]
    planned = batches([asdict(c) for c in channels], size)
    log.info("%d active channel(s) in %d batch(es) of at most %d", len(channels), len(planned),
             size)
    return planned


def batch_label(channels: Sequence[dict[str, Any]]) -> str:
    """How a mapped task names its batch in the UI."""
    if not channels:
        return "no channels"
    first, last = channels[0]["channel_id"], channels[-1]["channel_id"]
    return first if len(channels) == 1 else f"{first}..{last} ({len(channels)} channels)"

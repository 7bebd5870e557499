"""The experiment registry as the framework reads it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import class_row, dict_row

from ytempire import settings
from ytempire.experiments.design import Plan
from ytempire.warehouse import fetch_one, sql_file

SQL = "experiments/"


@dataclass(frozen=True)
class Experiment:
    experiment_id: int
    video_id: str
    kind: str
    metric: str
    block_hours: int
    blocks: int
    warmup_hours: int
    min_detectable_effect: float
    alpha: float
    power: float
    seed: int | None
    starts_at: datetime | None
    ends_at: datetime | None
    status: str
    paused_for: str | None
    pair_sd: float | None
    concluded_at: datetime | None
    settled_at: datetime | None
    announced_at: datetime | None
    channel_id: str | None
    video_available: bool
    conn_id: str

    @property
    def window(self) -> tuple[datetime, datetime]:
        """When the first block starts and the last one ends (a started experiment's)."""
        if self.starts_at is None or self.ends_at is None:
            raise ValueError(f"experiment {self.experiment_id} has no blocks yet")
        return self.starts_at, self.ends_at

    @property
    def plan(self) -> Plan:
        return Plan(self.metric, self.block_hours, self.blocks, self.warmup_hours,
                    self.min_detectable_effect, self.alpha, self.power)


def experiments(conn: psycopg.Connection, *statuses: str) -> list[Experiment]:
    with conn.cursor(row_factory=class_row(Experiment)) as cur:
        return cur.execute(sql_file(SQL + "experiments_in_status.sql"), {
            "statuses": list(statuses), "default_conn_id": settings.YOUTUBE_CONN_ID}).fetchall()


def variants(conn: psycopg.Connection, experiment_id: int) -> dict[int, dict]:
    with conn.cursor(row_factory=dict_row) as cur:
        rows = cur.execute(sql_file(SQL + "variants.sql"),
                           {"experiment_id": experiment_id}).fetchall()
    return {r["variant"]: r for r in rows}


def one_row(conn: psycopg.Connection, name: str, params: dict[str, Any]) -> tuple[Any, ...]:
    return fetch_one(conn, SQL + name + ".sql", params)


def run_sql(conn: psycopg.Connection, name: str, params: dict[str, Any]) -> psycopg.Cursor[Any]:
    return conn.execute(sql_file(SQL + name + ".sql"), params)

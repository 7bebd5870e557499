"""YTEMPIRE's own systems in the local stack: the operator registers the simulated
channels (with their niches), and the content system and the partners write costs,
video types and payments into the warehouse as they arrive
(`simulator.ytempire_systems` says what and when)."""

from __future__ import annotations

from datetime import date, datetime

import psycopg

from ytempire.warehouse import sql_file
from ytempire_dev.simulator import World
from ytempire_dev.simulator.ytempire_systems import (
    SOURCE,
    events,
    making_costs,
    niche,
    video_type,
)

SQL = "local_stack/"


def register_channels(conn: psycopg.Connection, world: World, conn_ids: list[str]) -> None:
    """The operator's step: each channel by id, monetised or not, with its niche."""
    for channel, conn_id in zip(world.channels, conn_ids, strict=True):
        conn.execute(sql_file(SQL + "register_channel.sql"), {
            "channel_id": channel.id, "channel_name": channel.title,
            "monetized": channel.monetized, "niche": niche(channel), "conn_id": conn_id})


def write_arrived(conn: psycopg.Connection, world: World, first: date, last: date,
                  now: datetime) -> dict:
    """Every cost, payment and video type of the days first .. last that has arrived
    by `now`; what was written before is not written again."""
    costs, payments = events(world, first, last)
    costs = [c for c in costs if c.arrives_at <= now]
    latest = {p.external_ref: p for p in sorted(payments, key=lambda p: p.arrives_at)
              if p.arrives_at <= now}
    labelled = [(v.id, video_type(world, v)) for v in world.videos
                if video_type(world, v) and making_costs(world, v)[0].at <= now]
    with conn.transaction():
        written_costs = conn.execute(sql_file(SQL + "write_costs.sql"), {
            "source": SOURCE, "refs": [c.ref for c in costs],
            "video_ids": [c.video_id for c in costs], "channel_ids": [c.channel_id for c in costs],
            "cost_types": [c.cost_type for c in costs], "cents": [c.cents for c in costs],
            "times": [c.at for c in costs]}).rowcount
        written_payments = conn.execute(sql_file(SQL + "write_payments.sql"), {
            "source": SOURCE, "refs": list(latest),
            "video_ids": [p.video_id for p in latest.values()],
            "days": [p.day for p in latest.values()], "kinds": [p.kind for p in latest.values()],
            "cents": [p.cents for p in latest.values()]}).rowcount
        written_types = conn.execute(sql_file(SQL + "write_video_types.sql"), {
            "source": SOURCE, "video_ids": [v for v, _ in labelled],
            "video_types": [t for _, t in labelled]}).rowcount
    return {"costs": written_costs, "payments": written_payments, "video_types": written_types}

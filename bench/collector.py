"""One hourly collection against the YouTube simulator: API calls (per endpoint, per
video), quota units and wall time, the way the DAG's mapped tasks run it
(`channels.plan_batches` + `runner.run_batch` with `hourly.load`, sequentially). The first hour syncs
the uploads and takes baseline snapshots; the second, measured, hour is a plain
hourly collection. Its own database: the simulator's channels, not the bench's."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime, timedelta

import psycopg
from dataset import Scale, log
from psycopg import sql

from ytempire import schema_deploy, settings
from ytempire.steplog import TaskRun
from ytempire.youtube import hourly
from ytempire.youtube.channels import plan_batches
from ytempire.youtube.runner import run_batch
from ytempire.youtube.summary import summarise
from ytempire_dev.simulator import run_simulator

START = datetime(2026, 11, 20, 12, tzinfo=UTC)
DAILY_QUOTA = 10_000


def register(conn: psycopg.Connection, sim) -> None:
    for index, channel in enumerate(sim.world.channels):
        os.environ[f"AIRFLOW_CONN_YOUTUBE_BENCH_{index}"] = json.dumps({
            "conn_type": "generic", "extra": {
                "client_id": "bench", "client_secret": "bench",
                "refresh_token": channel.refresh_token, "api_root": sim.url}})
        conn.execute(sql.SQL(
            "insert into analytics.dim_channel (channel_id, channel_name, monetization_enabled,"
            " metadata) values (%s, %s, %s, %s)"),
            (channel.id, f"bench {index}", channel.monetized,
             json.dumps({"youtube_conn_id": f"youtube_bench_{index}"})))


def collect(conn: psycopg.Connection, sim, hour: datetime) -> dict:
    sim.set_clock(hour)
    run = TaskRun(f"{hourly.DAG_ID}.collect_hourly_counters", f"bench__{hour:%Y%m%dT%H}")
    return summarise(run_batch(group, hourly.load(hour), run, hour).as_dict()
                     for group in plan_batches(conn, settings.CHANNELS_PER_TASK))


def measure(admin_dsn: str, scale: Scale) -> dict:
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute("create database bench_collector")
    dsn = psycopg.conninfo.make_conninfo(admin_dsn, dbname="bench_collector")
    os.environ["AIRFLOW_CONN_YTEMPIRE_WAREHOUSE"] = _uri(dsn)
    per_channel = scale.videos // scale.channels
    with run_simulator(seed=7, channels=scale.channels, videos_per_channel=per_channel,
                       clock=START) as sim, psycopg.connect(dsn, autocommit=True) as conn:
        schema_deploy.deploy(conn)
        register(conn, sim)
        first = collect(conn, sim, START)  # uploads sync and baselines
        sim.reset_calls()
        started = time.perf_counter()
        summary = collect(conn, sim, START + timedelta(hours=1))
        seconds = time.perf_counter() - started
        calls, quota = sim.calls, sim.quota_used
        per_channel_videos = [n for (n,) in conn.execute(
            "select count(*) from analytics.dim_video where is_available group by channel_id")]
    videos = sum(per_channel_videos)
    # videos.list takes 50 ids and one channel's ids per call: the fewest calls possible.
    fewest = sum(-(-n // 50) for n in per_channel_videos)
    videos_list = calls.get("videos.list", 0) or summary["api_calls"].get("videos.list", 0)
    result = {"videos": videos, "received": summary["received"],
              "channels": summary["channels"], "seconds": seconds,
              "api_calls": calls, "collector_api_calls": summary["api_calls"],
              "videos_list_calls": videos_list, "fewest_videos_list_calls": fewest,
              "videos_per_videos_list_call": videos / videos_list if videos_list else None,
              "quota_units": quota, "quota_units_per_day": quota * 24,
              "daily_quota_share": quota * 24 / DAILY_QUOTA,
              "first_hour_api_calls": first["api_calls"]}
    log.info("collector: %d videos in %.1f s, %s, %d quota units", videos, seconds, calls, quota)
    return result


def _uri(dsn: str) -> str:
    p = psycopg.conninfo.conninfo_to_dict(dsn)
    return (f"postgresql://{p.get('user', 'postgres')}@{p.get('host', '127.0.0.1')}:"
            f"{p.get('port', 5432)}/{p['dbname']}")

"""Storage: bytes of the fact table and the rollups, per fact row; on TimescaleDB also
after compressing every chunk of the fact table (the ratio the compression policy
gives; done last, since it changes what later writes cost)."""

from __future__ import annotations

import time

import psycopg
from dataset import bench_sql, log

from ytempire.warehouse import flavor


def sizes(conn: psycopg.Connection) -> dict[str, int]:
    name = "storage_timescale.sql" if flavor(conn) == "timescale" else "storage_plain.sql"
    return {relation: int(size) for relation, size in conn.execute(bench_sql(name))}


def measure(conn: psycopg.Connection, compress: bool) -> dict:
    facts = conn.execute("select count(*) from analytics.fact_video_performance").fetchone()[0]
    result = {"fact_rows": facts, "bytes": sizes(conn)}
    result["fact_bytes_per_row"] = result["bytes"]["fact_video_performance"] / facts
    if compress and flavor(conn) == "timescale":
        started = time.perf_counter()
        conn.execute(bench_sql("compress_all_chunks.sql"))
        result["compress_seconds"] = time.perf_counter() - started
        compressed = sizes(conn)["fact_video_performance"]
        result["fact_bytes_compressed"] = compressed
        result["compression_ratio"] = result["bytes"]["fact_video_performance"] / compressed
    log.info("storage: %s", result)
    return result

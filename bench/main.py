"""bench/run: the warehouse measured side by side on both database paths.

    bench/run --scale small|medium|large [--paths plain,timescale] [--json PATH]

Each path gets its own throwaway embedded cluster (ytempire_dev.local_pg; the
timescale flavour preloads TimescaleDB). Per path: the data set's newer half, the
refresh cost (1x history), the older half, the refresh cost again (2x), the forecasts'
and experiments' tables as the day's runs leave them, the reads,
the load paths, the storage (and, on TimescaleDB, after compressing every chunk).
Once per run: the collector against the simulator, the forecasts of `scale.channels`
channels (bench/forecasts.py) and the bundle's parse time; `--only collector` or
`--only forecasts` measures just that extra. `--skip load` and `--skip extras` leave
those out (the large run). `--only load [--days N]` measures only the load paths per
path, after a short history of N days (and the retention's snapshots: the indexes as an
hour's load finds them).
Progress goes to the log (stderr); the table to stdout; all figures to --json."""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "plugins"))

import collector  # noqa: E402
import dataset  # noqa: E402
import forecasts  # noqa: E402
import load  # noqa: E402
import parse  # noqa: E402
import psycopg  # noqa: E402
import reads  # noqa: E402
import refresh  # noqa: E402
import report  # noqa: E402
import storage  # noqa: E402
from dataset import log  # noqa: E402
from psycopg import sql  # noqa: E402

from ytempire import schema_deploy, settings  # noqa: E402
from ytempire_dev.local_pg import local_cluster  # noqa: E402

CLUSTER_SETTINGS = {
    "plain": {},
    # Background jobs (policies) off: every refresh is the one the bench makes.
    "timescale": {"timescaledb.max_background_workers": "0"},
}


def deploy(conn: psycopg.Connection, scale: dataset.Scale, end, days: int) -> None:
    """The warehouse, the scale's channels and videos, the partitions of `days` before end."""
    schema_deploy.deploy(conn)
    conn.autocommit = True
    dataset.create_dimensions(conn, scale)
    dataset.ensure_partitions(conn, end - timedelta(days), end)


def build_and_measure(conn: psycopg.Connection, dsn: str, scale: dataset.Scale, result: dict,
                      save, skip: set[str]) -> None:
    """Fills result as it goes; save() after each phase keeps it (a long run)."""
    end = dataset.history_end()
    half = scale.days // 2
    result["history_end"] = end.isoformat()
    deploy(conn, scale, end, scale.days)
    for label, first, last, cycle_day in (
        ("1x", end - timedelta(half), end - timedelta(1), end),
        ("2x", end - timedelta(scale.days), end - timedelta(half + 1), end + timedelta(20)),
    ):
        started = time.perf_counter()
        rows = dataset.load_days(conn, scale, first, last)
        setup = time.perf_counter() - started
        full = refresh.refresh_everything(conn, end)
        conn.execute("vacuum analyze")
        facts = conn.execute("select count(*) from analytics.fact_video_performance").fetchone()[0]
        log.info("%s history: %d fact rows (set-up %.0f s, full refresh %.0f s)",
                 label, facts, setup, full)
        result[f"refresh_{label}"] = {"fact_rows": facts, "setup_rows": rows,
                                      "setup_seconds": setup, "full_refresh_seconds": full,
                                      "steps_ms": refresh.measure(conn, scale, cycle_day)}
        save()
    # The reads' day as after its 3 AM refresh (the cycles above refreshed later days),
    # with what the forecasts and experiments hold by then.
    refresh.refresh_everything(conn, end)
    dataset.create_forecasts_and_experiments(conn, scale, end)
    conn.execute("vacuum analyze")
    result["fact_rows"] = conn.execute(
        "select count(*) from analytics.fact_video_performance").fetchone()[0]
    result["versions"] = conn.execute(
        "select current_setting('server_version'), (select extversion from pg_extension"
        " where extname = 'timescaledb')").fetchone()
    result["reads"] = reads.measure(conn, reads.bench_params(conn, end), scale)
    save()
    if "load" not in skip:
        result["load"] = load.measure(conn, dsn, scale, end,
                                      min(scale.days, settings.SNAPSHOT_RETENTION_DAYS))
        save()
    result["storage"] = storage.measure(conn, compress=True)


def load_only(conn: psycopg.Connection, dsn: str, scale: dataset.Scale, days: int) -> dict:
    """The load paths after `days` of facts, revenue and costs (and the retention's
    snapshot history, as the full run at medium and large)."""
    end = dataset.history_end()
    deploy(conn, scale, end, days)
    rows = dataset.load_days(conn, scale, end - timedelta(days), end - timedelta(1))
    conn.execute("vacuum analyze")
    return {"history_end": end.isoformat(), "history_days": days, "setup_rows": rows,
            "load": load.measure(conn, dsn, scale, end, settings.SNAPSHOT_RETENTION_DAYS)}


@contextmanager
def bench_database(path: str):
    """(admin dsn, bench dsn) of a throwaway cluster of the path's flavour."""
    with local_cluster(flavor=path, settings=CLUSTER_SETTINGS[path]) as cluster:
        admin = psycopg.conninfo.make_conninfo(cluster.dsn, dbname="postgres")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("create database {}").format(sql.Identifier("bench")))
        yield admin, psycopg.conninfo.make_conninfo(cluster.dsn, dbname="bench")


def run_path(path: str, scale: dataset.Scale, extras: bool, result: dict, save,
             skip: set[str]) -> None:
    log.info("== %s path, %s scale", path, scale.name)
    with bench_database(path) as (admin, dsn):
        with psycopg.connect(dsn, autocommit=True) as conn:
            build_and_measure(conn, dsn, scale, result, save, skip)
        if extras:
            try:
                result["collector"] = collector.measure(admin, scale)
            except Exception as err:  # the other figures still count
                log.exception("collector measurement failed")
                result["collector"] = {"error": repr(err)}
            result["forecasts"] = forecasts.measure(admin, scale.channels)


def run_load_only(path: str, scale: dataset.Scale, days: int) -> dict:
    log.info("== %s path, %s scale, load only after %d day(s)", path, scale.name, days)
    with bench_database(path) as (_admin, dsn), psycopg.connect(dsn, autocommit=True) as conn:
        return load_only(conn, dsn, scale, days)


def run_extra_only(entry: str, scale: dataset.Scale) -> dict:
    """An extra on a plain cluster of its own: neither reads the bench's warehouse."""
    with local_cluster(flavor="plain") as cluster:
        admin = psycopg.conninfo.make_conninfo(cluster.dsn, dbname="postgres")
        if entry == "collector":
            return collector.measure(admin, scale)
        return forecasts.measure(admin, scale.channels)


def machine() -> dict:
    meminfo = Path("/proc/meminfo").read_text().splitlines()[0].split()
    return {"nproc": os.cpu_count(), "ram_gb": round(int(meminfo[1]) / 2**20, 1),
            "python": platform.python_version(), "kernel": platform.release(),
            # the machine is shared with other engineers' runs: how loaded it was
            "load_average_at_start": os.getloadavg()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=dataset.SCALES, default="small")
    parser.add_argument("--paths", default="plain,timescale")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--only", choices=["collector", "forecasts", "load"],
                        help="measure only this entry (collector and forecasts: one plain"
                             " cluster of their own)")
    parser.add_argument("--days", type=int, default=3,
                        help="--only load: days of history before the load is measured")
    parser.add_argument("--skip", action="append", choices=["load", "extras"], default=[],
                        help="leave this entry out: load (its target is at medium), extras"
                             " (the collector and the forecasts, measured on the first path)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("ytempire").setLevel(logging.WARNING)
    # importing Airflow (the collector) points the root logger at stdout: keep the bench's
    # progress on stderr, out of the table
    dataset.log.addHandler(logging.getLogger().handlers[0])
    dataset.log.propagate = False
    scale = dataset.SCALES[args.scale]
    paths = [p.strip() for p in args.paths.split(",") if p.strip()]
    started = time.time()
    results = {"scale": vars(scale), "machine": machine(),
               "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
               "command": " ".join(["bench/run", *sys.argv[1:]]), "paths": {}}

    def save() -> None:  # after each phase: a long run keeps what it has measured
        results["seconds"] = time.time() - started
        if args.json:
            args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")

    if args.only in ("collector", "forecasts"):
        results[args.only] = run_extra_only(args.only, scale)
        results["load_average_at_end"] = os.getloadavg()
        save()
        print(json.dumps(results[args.only], indent=2))
        return
    if args.only != "load":
        results["parse"] = parse.measure()
    for index, path in enumerate(paths):
        if args.only == "load":
            results["paths"][path] = run_load_only(path, scale, args.days)
            save()
            continue
        result = results["paths"].setdefault(path, {})
        run_path(path, scale, index == 0 and "extras" not in args.skip, result, save,
                 set(args.skip))
        for entry in ("collector", "forecasts"):
            if entry in result:
                results[entry] = result.pop(entry)
        save()
    results["load_average_at_end"] = os.getloadavg()
    save()
    print(report.load_table(results) if args.only == "load" else report.table(results))


if __name__ == "__main__":
    main()

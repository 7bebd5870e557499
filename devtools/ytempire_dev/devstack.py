"""The local stack behind the two README commands: the embedded warehouse (or
WAREHOUSE_DSN), the YouTube simulator, YTEMPIRE's own systems (costs, payments,
video types from the same simulated world) and the Slack receiver, wired into
Airflow only through connections.

    python -m ytempire_dev.devstack run [--timescaledb]          # history, then Airflow UI + the pipeline
    python -m ytempire_dev.devstack dags-test [--timescaledb] DATE DAG...  # `airflow dags test`

The embedded warehouse is plain PostgreSQL unless --timescaledb asks for the
TimescaleDB flavour (timescaledb preloaded: the deploy takes the TimescaleDB path).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

from ytempire import settings
from ytempire_dev.local_pg import free_port, new_cluster

RUN_DIR = settings.REPO_ROOT / ".run"
SIMULATOR_CHANNELS = 3
SIMULATOR_VIDEOS = 8  # the ROI-by-type query needs five videos of a type and category
HISTORY_DAYS = int(os.environ.get("YTEMPIRE_DEMO_HISTORY_DAYS", 14))
SYSTEMS_EVERY_SECONDS = 60


@contextmanager
def child(args: list[str], ready_prefix: str, log_path: Path):
    """Start a helper process and wait for its `PREFIX value` ready line."""
    log = log_path.open("a")
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        line = proc.stdout.readline().strip()
        if not line.startswith(ready_prefix):
            raise RuntimeError(f"{args[2]} did not start; see {log_path}")
        yield line.split(" ", 1)[1]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


@contextmanager
def warehouse(workdir: Path, keep: bool, flavor: str):
    """The warehouse URI: WAREHOUSE_DSN, or an embedded cluster of `flavor` under workdir."""
    if os.environ.get("WAREHOUSE_DSN"):
        yield os.environ["WAREHOUSE_DSN"]
        return
    directory = "postgres" if flavor == "plain" else "postgres-timescaledb"
    cluster = new_cluster(workdir / directory, flavor=flavor)
    cluster.start()
    try:
        yield cluster.uri
    finally:
        cluster.stop(remove=not keep)


def world_start(workdir: Path) -> datetime:
    """The simulated world's start: fixed at the first run, so that a re-run sees the
    same channels, videos and figures (the clock still follows the wall clock)."""
    marker = workdir / "world-start"
    if not marker.exists():
        marker.write_text(datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
                          .isoformat())
    return datetime.fromisoformat(marker.read_text().strip())


def simulated_world(start: datetime):
    from ytempire_dev.simulator import World

    return World(7, SIMULATOR_CHANNELS, SIMULATOR_VIDEOS, start=start)


def youtube_connections(sim_url: str) -> dict[str, str]:
    """One connection per simulator channel (each authorises as its owner)."""
    world = simulated_world(datetime.now(UTC))  # channel ids do not depend on the start
    conns = {}
    for index, channel in enumerate(world.channels):
        extra = {"client_id": "local-client", "client_secret": "local-secret",
                 "refresh_token": channel.refresh_token, "api_root": sim_url}
        conns[f"youtube_sim_{index}"] = json.dumps({"conn_type": "generic", "extra": extra})
    conns[settings.YOUTUBE_CONN_ID] = conns["youtube_sim_0"]
    return conns


def register_simulator_channels(warehouse_uri: str, world) -> None:
    """The operator's step: register each channel by id, monetised or not, with its niche."""
    from ytempire_dev.local_systems import register_channels

    with psycopg.connect(warehouse_uri) as conn:
        register_channels(conn, world, [f"youtube_sim_{i}" for i in range(len(world.channels))])


def write_ytempire_systems(warehouse_uri: str, world, history_days: int) -> dict:
    """What YTEMPIRE's own systems have written by now, over the history window."""
    from ytempire_dev.local_systems import write_arrived
    from ytempire_dev.simulator import pacific_date

    now = datetime.now(UTC)
    today = pacific_date(now)
    with psycopg.connect(warehouse_uri, autocommit=True) as conn:
        return write_arrived(conn, world, today - timedelta(days=history_days), today, now)


def keep_writing_ytempire_systems(warehouse_uri: str, world, history_days: int,
                                  stop: threading.Event) -> threading.Thread:
    """Costs and payments written as they arrive, while the stack runs."""
    def loop() -> None:
        while not stop.wait(SYSTEMS_EVERY_SECONDS):
            try:
                write_ytempire_systems(warehouse_uri, world, history_days)
            except psycopg.Error as err:
                print(f"YTEMPIRE systems: write failed, retried in a minute: {err}", flush=True)

    thread = threading.Thread(target=loop, name="ytempire-systems", daemon=True)
    thread.start()
    return thread


def load_history(env: dict, warehouse_uri: str, world, history_days: int) -> bool:
    """The first run: the revenue DAG over the history window (its start_date/end_date
    params, run by `airflow dags test`), then both refresh DAGs. Skipped when the
    warehouse already holds every ready day of the window. Returns whether it loaded."""
    from ytempire.warehouse import sql_file
    from ytempire_dev.simulator import pacific_date

    now = datetime.now(UTC)
    first = pacific_date(now) - timedelta(days=history_days)
    last = world.last_ready_day(now)
    with psycopg.connect(warehouse_uri) as conn:
        loaded = conn.execute(sql_file("local_stack/loaded_days.sql"),
                              {"first_day": first, "last_day": last}).fetchone()[0]
    if loaded >= (last - first).days + 1:
        print(f"History {first} .. {last} already loaded: not loaded again.", flush=True)
        return False
    print(f"Loading the history {first} .. {last} (YouTube reports a day two days later) ...",
          flush=True)
    started = time.monotonic()
    logical = now.replace(microsecond=0).isoformat()
    conf = json.dumps({"start_date": first.isoformat(), "end_date": last.isoformat()})
    log_path = Path(env["AIRFLOW_HOME"]).parent / "history-load.log"
    with log_path.open("w") as log_file:
        for args in (["youtube_revenue_attribution", logical, "--conf", conf],
                     ["analytics_refresh_daily", logical], ["analytics_refresh_hourly", logical]):
            print(f"  airflow dags test {args[0]} (log: {log_path})", flush=True)
            done = subprocess.run(["airflow", "dags", "test", *args], env=env,
                                  stdout=log_file, stderr=subprocess.STDOUT)
            if done.returncode != 0:
                raise SystemExit(f"The history load failed in {args[0]}: see {log_path}")
    print(f"History loaded in {time.monotonic() - started:.0f} s: views, likes, comments, "
          "revenue, costs and partner revenue per video and day; the rollups are refreshed.",
          flush=True)
    return True


def airflow_env(workdir: Path, warehouse_uri: str, sim_url: str, slack_url: str,
                port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "AIRFLOW_HOME": str(workdir / "airflow"),
        "AIRFLOW__CORE__DAGS_FOLDER": str(settings.REPO_ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(settings.REPO_ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
        "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(free_port()),
        "AIRFLOW_CONN_YTEMPIRE_WAREHOUSE": warehouse_uri,
        "AIRFLOW__OPENLINEAGE__TRANSPORT": json.dumps({  # lineage events (docs/lineage.md)
            "type": "file", "log_file_path": str(workdir / "openlineage-events.jsonl"), "append": True}),
        "AIRFLOW_CONN_SLACK_ALERTS": json.dumps({"conn_type": "slackwebhook",
                                                 "password": slack_url}),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    })
    for conn_id, value in youtube_connections(sim_url).items():
        env[f"AIRFLOW_CONN_{conn_id.upper()}"] = value
    for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        env.pop(proxy, None)  # slack_sdk ignores NO_PROXY; everything here is local
    return env


@contextmanager
def stack(workdir: Path, keep: bool, live: bool, port: int, flavor: str,
          start: datetime | None = None):
    workdir.mkdir(parents=True, exist_ok=True)
    python = sys.executable
    with ExitStack() as stack:
        warehouse_uri = stack.enter_context(warehouse(workdir, keep, flavor))
        sim_args = [python, "-m", "ytempire_dev.simulator", "--port", "0",
                    "--channels", str(SIMULATOR_CHANNELS),
                    "--videos-per-channel", str(SIMULATOR_VIDEOS)]
        sim_args += ["--clock", start.isoformat()] if start else []
        sim_args += ["--live"] if live else []
        sim_url = stack.enter_context(child(sim_args, "YOUTUBE_SIMULATOR",
                                            workdir / "youtube-simulator.log"))
        slack_url = stack.enter_context(child(
            [python, "-m", "ytempire_dev.slack_receiver", "--port", "0",
             "--out", str(workdir / "slack-messages.jsonl")],
            "SLACK_RECEIVER", workdir / "slack-receiver.log"))
        env = airflow_env(workdir, warehouse_uri, sim_url, slack_url, port)
        subprocess.run(["airflow", "db", "migrate"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        yield env, warehouse_uri, sim_url, slack_url


def first_run(env: dict, uri: str, world, history_days: int = HISTORY_DAYS) -> bool:
    """Schema, channels, what YTEMPIRE's systems wrote over the history, the history."""
    print("Deploying the warehouse schema ...", flush=True)
    subprocess.run(["airflow", "dags", "test", "analytics_schema_deploy"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    register_simulator_channels(uri, world)
    print(f"YTEMPIRE's systems: {write_ytempire_systems(uri, world, history_days)} written",
          flush=True)
    return load_history(env, uri, world, history_days)


def run(args) -> int:
    # From the start, so that a stop during the history load still unwinds the stack
    # (warehouse, simulator, receiver) instead of leaving them running.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("Stopped.", flush=True)
        return 130


def _run(args) -> int:
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    start = world_start(RUN_DIR)
    world = simulated_world(start)
    with stack(RUN_DIR, keep=True, live=True, port=args.port, flavor=_flavor(args),
               start=start) as (env, uri, sim_url, slack_url):
        first_run(env, uri, world, args.history_days)
        from ytempire_dev import report

        report_path = report.main_for_stack(uri)
        print(f"Report of both dashboards: {report_path}", flush=True)
        stop = threading.Event()
        keep_writing_ytempire_systems(uri, world, args.history_days, stop)
        print(f"""
  Airflow UI        http://127.0.0.1:{args.port}  (user admin; password in
                    {RUN_DIR}/airflow/simple_auth_manager_passwords.json.generated)
  Warehouse         {uri} ({_flavor(args)} path)
  YouTube simulator {sim_url}
  Slack messages    {RUN_DIR}/slack-messages.jsonl
  Dashboards report {report_path}  (scripts/report for another range)
  Stop with Ctrl-C.
""", flush=True)
        # Nothing runs before the API server answers (task runners report to it):
        # the DAGs stay paused until then.
        _set_paused(env, True)
        proc = subprocess.Popen(["airflow", "standalone"], env=env, start_new_session=True)
        try:
            _wait_for_api(args.port, proc)
            _set_paused(env, False)
            return proc.wait()
        except KeyboardInterrupt:
            print("Stopping Airflow ...", flush=True)
            stop.set()
            _stop_tree(proc.pid)
            return 0


def _set_paused(env: dict, paused: bool) -> None:
    """Pause or unpause every DAG of the bundle (parsed into the metadata DB first)."""
    if paused:
        subprocess.run(["airflow", "dags", "reserialize"], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    action = "pause" if paused else "unpause"
    subprocess.run(["airflow", "dags", action, "--treat-dag-id-as-regex", "-y", ".*"],
                   env=env, check=True, stdout=subprocess.DEVNULL)


def _wait_for_api(port: int, proc: subprocess.Popen, timeout_s: float = 300) -> None:
    import time
    import urllib.request

    url = f"http://127.0.0.1:{port}/api/v2/monitor/health"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # local: no proxy
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("airflow standalone exited before its API server answered")
        try:
            with opener.open(url, timeout=2):
                return
        except OSError:
            time.sleep(1)
    raise RuntimeError(f"Airflow's API server did not answer at {url} within {timeout_s:.0f} s")


def _interrupt(*_):
    raise KeyboardInterrupt


def _stop_tree(pid: int) -> None:
    """Stop a process and every descendant (airflow standalone does not stop all of its own)."""
    import psutil

    try:
        root = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return
    tree = [root, *root.children(recursive=True)]
    for process in tree:
        process.terminate()
    _, alive = psutil.wait_procs(tree, timeout=20)
    for process in alive:
        process.kill()


def dags_test(args) -> int:
    """`airflow dags test` on a throwaway stack; every run must succeed."""
    import shutil
    import tempfile

    workdir = Path(tempfile.mkdtemp(prefix="ytempire-dags-test-"))
    workdir.chmod(0o755)  # the server may run as the postgres OS user
    try:
        with stack(workdir, keep=False, live=False, port=free_port(),
                   flavor=_flavor(args)) as (env, uri, _, _):
            for dag_id in args.dag_ids:
                for attempt in range(1, args.times + 1):
                    print(f"airflow dags test {dag_id} {args.date} (run {attempt})", flush=True)
                    result = subprocess.run(["airflow", "dags", "test", dag_id, args.date],
                                            env=env, capture_output=True, text=True)
                    if result.returncode != 0:
                        print(result.stdout[-5000:], result.stderr[-5000:], sep="\n")
                        return result.returncode
                if dag_id == "analytics_schema_deploy":
                    register_simulator_channels(uri, simulated_world(datetime.now(UTC)))
        return 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _flavor(args) -> str:
    return "timescale" if args.timescaledb else "plain"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ytempire_dev.devstack")
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="Airflow with the bundle on the local stack")
    run_parser.add_argument("--port", type=int, default=int(os.environ.get("AIRFLOW_PORT", 8080)))
    run_parser.add_argument("--history-days", type=int, default=HISTORY_DAYS,
                            help="YouTube days loaded before the schedules take over")
    test_parser = commands.add_parser("dags-test", help="airflow dags test on a throwaway stack")
    test_parser.add_argument("date")
    test_parser.add_argument("dag_ids", nargs="+")
    test_parser.add_argument("--times", type=int, default=1)
    for sub in (run_parser, test_parser):
        sub.add_argument("--timescaledb", action="store_true",
                         help="an embedded TimescaleDB warehouse instead of plain PostgreSQL")
    args = parser.parse_args(argv)
    return run(args) if args.command == "run" else dags_test(args)


if __name__ == "__main__":
    sys.exit(main())

"""The local stack behind the two README commands: the embedded warehouse (or
WAREHOUSE_DSN), the YouTube simulator serving the demo network (`simulator.demo`),
YTEMPIRE's own systems (costs, payments, video types from the same simulated world) and
the Slack receiver, wired into Airflow only through connections.

    python -m ytempire_dev.devstack run [--timescaledb]          # first run, then Airflow UI + the pipeline
    python -m ytempire_dev.devstack dags-test [--timescaledb] DATE DAG...  # `airflow dags test`

The first run (`first_run`): schema, channels, what YTEMPIRE's systems wrote, then the
hourly collector replayed over the last seven days (its own code, run in-process hour by
hour while a simulator answers as of each hour), then the daily history through
`youtube_revenue_attribution` (which makes the days YouTube has reported final), then both
refreshes, then the forecasts. A second start loads only what is new: the hours after the newest snapshot and
the days not loaded yet.

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
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
from psycopg import conninfo
from psycopg import sql as psql

from ytempire import settings
from ytempire.warehouse import sql_file
from ytempire_dev.local_pg import free_port, new_cluster

RUN_DIR = settings.REPO_ROOT / ".run"
SEED = 7
HISTORY_DAYS = int(os.environ.get("YTEMPIRE_DEMO_HISTORY_DAYS", 60))  # 58 reported days
REPLAY_DAYS = 7
REPLAY_WORKERS = 3  # processes, each with a share of the channels, like the DAG's mapped tasks
SYSTEMS_EVERY_SECONDS = 60
HOUR = timedelta(hours=1)


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
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # a busy machine: not worth failing a stop over
            proc.kill()
            proc.wait()
        log.close()


# The compose stack's roles (docker/warehouse/initdb/10-roles.sh), made the same way on
# the embedded cluster: the DAGs connect as the loader, the schema deploy as the owner.
ROLES_SCRIPT = settings.REPO_ROOT / "docker" / "warehouse" / "initdb" / "10-roles.sh"
LOCAL_ROLES = {"WAREHOUSE_OWNER_USER": "ytempire_owner", "WAREHOUSE_OWNER_PASSWORD": "local",
               "WAREHOUSE_LOADER_PASSWORD": "local", "GRAFANA_WAREHOUSE_USER": "grafana_reader",
               "GRAFANA_WAREHOUSE_PASSWORD": "local"}


AIRFLOW_METADATA_DB = "airflow"


@contextmanager
def warehouse(workdir: Path, keep: bool, flavor: str):
    """(superuser URI, the DAGs' warehouse connections): WAREHOUSE_DSN for everything, or
    an embedded cluster of `flavor` under workdir with the three roles."""
    if os.environ.get("WAREHOUSE_DSN"):
        yield os.environ["WAREHOUSE_DSN"], {"AIRFLOW_CONN_YTEMPIRE_WAREHOUSE":
                                            os.environ["WAREHOUSE_DSN"]}
        return
    directory = "postgres" if flavor == "plain" else "postgres-timescaledb"
    cluster = new_cluster(workdir / directory, flavor=flavor)
    cluster.start()
    try:
        yield cluster.uri, _with_roles(cluster)
    finally:
        cluster.stop(remove=not keep)


def _with_roles(cluster) -> dict[str, str]:
    """The roles on the embedded cluster (made once), and the connections that use them."""
    owner = LOCAL_ROLES["WAREHOUSE_OWNER_USER"]
    with psycopg.connect(cluster.uri) as conn:
        made = conn.execute(sql_file("local_stack/role_exists.sql"), {"role": owner}).fetchone()
    if not made:
        env = os.environ | LOCAL_ROLES | {"POSTGRES_USER": "postgres", "POSTGRES_DB": cluster.dbname,
                                          "PGHOST": "127.0.0.1", "PGPORT": str(cluster.port)}
        subprocess.run(["bash", str(ROLES_SCRIPT)], env=env, check=True,
                       stdout=subprocess.DEVNULL)
    at = f"127.0.0.1:{cluster.port}/{cluster.dbname}"
    return {"AIRFLOW_CONN_YTEMPIRE_WAREHOUSE": f"postgresql://ytempire_loader:local@{at}",
            "AIRFLOW_CONN_YTEMPIRE_WAREHOUSE_OWNER": f"postgresql://{owner}:local@{at}",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": _airflow_metadata(cluster)}


def _airflow_metadata(cluster) -> str:
    """Airflow's own metadata in a database of the embedded cluster: SQLite takes one
    writer at a time, and the scheduler, the API server and the DAGs' first runs at once
    locked it up (tasks killed for missed heartbeats, the API server unanswering)."""
    with psycopg.connect(cluster.uri, autocommit=True) as conn:
        if not conn.execute(sql_file("local_stack/database_exists.sql"),
                            {"name": AIRFLOW_METADATA_DB}).fetchone():
            conn.execute(psql.SQL("create database {}").format(psql.Identifier(AIRFLOW_METADATA_DB)))
    return f"postgresql+psycopg://postgres@127.0.0.1:{cluster.port}/{AIRFLOW_METADATA_DB}"


def as_reader(uri: str) -> str:
    """The connection string of the local stack's reader login (Grafana's and the
    report's) on the warehouse at superuser `uri`; `uri` itself on a cluster made before
    the stack had roles."""
    reader = LOCAL_ROLES["GRAFANA_WAREHOUSE_USER"]
    with psycopg.connect(uri) as conn:
        made = conn.execute(sql_file("local_stack/role_exists.sql"), {"role": reader}).fetchone()
    if not made:
        return uri
    return conninfo.make_conninfo(uri, user=reader,
                                  password=LOCAL_ROLES["GRAFANA_WAREHOUSE_PASSWORD"])


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

    return World.demo(SEED, start=start)


def youtube_connections(sim_url: str) -> dict[str, str]:
    """One connection per simulator channel (each authorises as its owner), as
    AIRFLOW_CONN_* environment variables."""
    world = simulated_world(datetime.now(UTC))  # channel ids do not depend on the start
    conns = {}
    for index, channel in enumerate(world.channels):
        extra = {"client_id": "local-client", "client_secret": "local-secret",
                 "refresh_token": channel.refresh_token, "api_root": sim_url}
        conns[f"youtube_sim_{index}"] = json.dumps({"conn_type": "generic", "extra": extra})
    conns[settings.YOUTUBE_CONN_ID] = conns["youtube_sim_0"]
    return {f"AIRFLOW_CONN_{conn_id.upper()}": value for conn_id, value in conns.items()}


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


def replay_window(uri: str, now: datetime) -> tuple[datetime, datetime] | None:
    """The hours the first run replays: from the Pacific midnight REPLAY_DAYS before now
    (so every replayed day is whole) to the current hour; on a later start, only the
    hours after the newest snapshot."""
    from ytempire_dev.simulator import pacific_date, pacific_day_bounds

    last = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    first = pacific_day_bounds(pacific_date(last - timedelta(days=REPLAY_DAYS)))[0]
    with psycopg.connect(uri) as conn:
        newest = conn.execute(sql_file("local_stack/newest_snapshot.sql")).fetchone()[0]
    if newest is not None:
        first = max(first, newest + HOUR)
    return (first, last) if first <= last else None


def start_replay(env: dict, uri: str, world, window: tuple[datetime, datetime]) -> list:
    """The hourly collector over the window, in REPLAY_WORKERS processes (`devstack
    replay`), each with its share of the channels, as the DAG's mapped tasks have."""
    from ytempire import partitions

    first, last = window
    with psycopg.connect(uri) as conn:  # once, as the DAG's serialised first task does
        partitions.ensure_fact_partitions(conn, first - HOUR, last + HOUR)
    print(f"Replaying the hourly collector over {_hours(window)} hour(s) "
          f"({first:%Y-%m-%d %H:%M} .. {last:%Y-%m-%d %H:%M} UTC), the simulator answering as "
          "of each hour ...", flush=True)
    return [_start(env, [sys.executable, "-m", "ytempire_dev.devstack", "replay",
                         first.isoformat(), last.isoformat(), world.start.isoformat(),
                         f"{part}/{REPLAY_WORKERS}"], f"collector-replay-{part}.log")
            for part in range(REPLAY_WORKERS)]


def collect_hour(hour: datetime, run_id: str, part: int = 0, parts: int = 1) -> dict:
    """What a `youtube_video_stats_hourly` run for `hour` does (after its partitions), for
    every `parts`-th active channel from `part` on: the one place the local stack calls
    the collector's library (the DAG task's code), in this process."""
    from ytempire.steplog import TaskRun
    from ytempire.warehouse import connect
    from ytempire.youtube import hourly
    from ytempire.youtube.channels import plan_batches
    from ytempire.youtube.runner import run_batch
    from ytempire.youtube.summary import summarise

    with connect() as conn:
        channels = [c for group in plan_batches(conn, settings.CHANNELS_PER_TASK)
                    for c in group][part::parts]
    run = TaskRun(f"{hourly.DAG_ID}.collect_hourly_counters", run_id)
    done = run_batch(channels, hourly.load(hour), run, hour)
    if done.failures:
        raise RuntimeError(f"hour {hour.isoformat()}: {[f.describe() for f in done.failures]}")
    return summarise([done.as_dict()])


def replay(args) -> int:
    """`devstack replay FIRST LAST WORLD_START PART/PARTS`: hour by hour, the collector
    against a simulator of this process whose clock is set to the hour."""
    from ytempire_dev.simulator import Simulator

    first, last = datetime.fromisoformat(args.first), datetime.fromisoformat(args.last)
    part, parts = map(int, args.part.split("/"))
    world = simulated_world(datetime.fromisoformat(args.world_start))
    with Simulator(world) as sim:
        os.environ.update(youtube_connections(sim.url))
        hour = first
        while hour <= last:
            world.set_clock(hour)
            total = collect_hour(hour, f"local_replay__{hour.isoformat()}", part, parts)
            print(f"{hour.isoformat()}: {total['loaded']} snapshots, "
                  f"{total['counts'].get('increments', 0)} increments", flush=True)
            hour += HOUR
    return 0


def days_to_load(uri: str, world, now: datetime, history_days: int) -> list[date]:
    """The YouTube days of the history window from the first one not loaded yet to the
    newest one YouTube has reported."""
    from ytempire_dev.simulator import pacific_date

    first = pacific_date(now) - timedelta(days=history_days)
    last = world.last_ready_day(now)
    with psycopg.connect(uri) as conn:
        loaded = {row[0] for row in conn.execute(sql_file("local_stack/loaded_days.sql"),
                                                 {"first_day": first, "last_day": last})}
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    missing = [day for day in days if day not in loaded]
    return days[days.index(missing[0]):] if missing else []


def start_revenue_load(env: dict, days: list[date]):
    """`youtube_revenue_attribution` over the days, with its start_date/end_date params."""
    conf = json.dumps({"start_date": days[0].isoformat(), "end_date": days[-1].isoformat()})
    print(f"Loading YouTube's days {days[0]} .. {days[-1]} ...", flush=True)
    return _start(env, ["airflow", "dags", "test", "youtube_revenue_attribution",
                        datetime.now(UTC).replace(microsecond=0).isoformat(), "--conf", conf],
                  f"history-load-{days[0]}.log")


def _start(env: dict, args: list[str], log_name: str) -> subprocess.Popen:
    log_path = Path(env["AIRFLOW_HOME"]).parent / log_name
    with log_path.open("w") as log_file:
        process = subprocess.Popen(args, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    process.log_path = log_path
    return process


def _wait(processes: list[subprocess.Popen]) -> None:
    failed = [p for p in processes if p.wait() != 0]
    if failed:
        tails = "".join(f"\n--- {p.log_path} (end):\n" + "\n".join(
            p.log_path.read_text(errors="replace").splitlines()[-25:]) for p in failed)
        raise SystemExit(f"The first run failed:{tails}")


def refresh_and_forecast(env: dict) -> None:
    """The rollups, then the forecasts: with the default history no channel has the 84
    final days a back-test needs, so every forecast is seasonal naive at first, and
    analytics_forecasts.log says so per channel."""
    logical = datetime.now(UTC).replace(microsecond=0).isoformat()
    for dag_id in ("analytics_refresh_daily", "analytics_refresh_hourly", "analytics_forecasts"):
        _wait([_start(env, ["airflow", "dags", "test", dag_id, logical], f"{dag_id}.log")])


def lineage_env(events: Path) -> dict[str, str]:
    """OpenLineage for the local stack and the tests (docs/lineage.md): events appended to
    a file, and lineage from the declared inlets and outlets only (the hook-lineage
    fallback would re-parse every SQL statement the process has run at each task's end)."""
    return {
        "AIRFLOW__OPENLINEAGE__TRANSPORT": json.dumps(
            {"type": "file", "log_file_path": str(events), "append": True}),
        "AIRFLOW__OPENLINEAGE__EMISSION_POLICY": json.dumps(
            [{"scope": {}, "controls": {"hook_lineage": False}}]),
    }


def airflow_env(workdir: Path, connections: dict[str, str], sim_url: str, slack_url: str,
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
        **lineage_env(workdir / "openlineage-events.jsonl"),
        "AIRFLOW_CONN_SLACK_ALERTS": json.dumps({"conn_type": "slackwebhook",
                                                 "password": slack_url}),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    })
    env.update(connections)
    env.update(youtube_connections(sim_url))
    for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        env.pop(proxy, None)  # slack_sdk ignores NO_PROXY; everything here is local
    return env


@contextmanager
def stack(workdir: Path, keep: bool, live: bool, port: int, flavor: str,
          start: datetime | None = None):
    workdir.mkdir(parents=True, exist_ok=True)
    python = sys.executable
    with ExitStack() as stack:
        warehouse_uri, connections = stack.enter_context(warehouse(workdir, keep, flavor))
        sim_args = [python, "-m", "ytempire_dev.simulator", "--port", "0", "--demo",
                    "--seed", str(SEED)]
        sim_args += ["--clock", start.isoformat()] if start else []
        sim_args += ["--live"] if live else []
        sim_url = stack.enter_context(child(sim_args, "YOUTUBE_SIMULATOR",
                                            workdir / "youtube-simulator.log"))
        slack_url = stack.enter_context(child(
            [python, "-m", "ytempire_dev.slack_receiver", "--port", "0",
             "--out", str(workdir / "slack-messages.jsonl")],
            "SLACK_RECEIVER", workdir / "slack-receiver.log"))
        env = airflow_env(workdir, connections, sim_url, slack_url, port)
        subprocess.run(["airflow", "db", "migrate"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        yield env, warehouse_uri, sim_url, slack_url


def first_run(env: dict, uri: str, world, history_days: int = HISTORY_DAYS) -> bool:
    """Schema, channels, what YTEMPIRE's systems wrote, the hourly collector over the last
    days, the daily history, the rollups. Returns whether anything new was loaded."""
    print("Deploying the warehouse schema ...", flush=True)
    subprocess.run(["airflow", "dags", "test", "analytics_schema_deploy"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    register_simulator_channels(uri, world)
    print(f"YTEMPIRE's systems: {write_ytempire_systems(uri, world, history_days)} written",
          flush=True)
    started, now = time.monotonic(), datetime.now(UTC)
    # The counters first, up to now: the collector's uploads syncs follow its hours, and
    # a day the revenue load has made final takes no more increments. The revenue load
    # syncs uploads as of now, so it never runs beside the replay of past hours.
    window = replay_window(uri, now)
    if window:
        _wait(start_replay(env, uri, world, window))
    days = days_to_load(uri, world, datetime.now(UTC), history_days)
    if days:
        _wait([start_revenue_load(env, days)])
    if not (window or days):
        print("Nothing new to load: the counters and YouTube's days are all in.", flush=True)
        return False
    refresh_and_forecast(env)
    print(f"Loaded {len(days)} YouTube day(s) and {_hours(window)} hour(s) of counters, "
          f"refreshed the rollups and forecast the channels (reasons per channel: "
          f"analytics_forecasts.log), in {time.monotonic() - started:.0f} s.", flush=True)
    return True


def _hours(window: tuple[datetime, datetime] | None) -> int:
    return 0 if window is None else (window[1] - window[0]) // HOUR + 1


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

        report_path = report.main_for_stack(as_reader(uri))
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
    replay_parser = commands.add_parser(
        "replay", help="the hourly collector over past hours (run by `run` with its connections)")
    for name in ("first", "last", "world_start", "part"):
        replay_parser.add_argument(name)
    args = parser.parse_args(argv)
    return {"run": run, "dags-test": dags_test, "replay": replay}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())

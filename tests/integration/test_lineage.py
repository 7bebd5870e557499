"""OpenLineage events of real DAG runs (file transport) name each task's `analytics.*`
inputs and outputs, and they are what the task's SQL reads and writes.

The expected tables are derived from the statements each task really executed (see
`lineage.py`: OpenLineage's own SQL parser over the statements, function bodies as
deployed, continuous aggregates' definitions), never from the asset declarations. The
bundle's own bookkeeping tables have no asset and must be all that is left over."""

from __future__ import annotations

from datetime import timedelta

import pendulum
import psycopg
import pytest
from conftest import OPENLINEAGE_EVENTS
from lineage import Deriver, Tables, lineage_events, recorded_statements
from revenue_expect import START, insert_costs, no_client_backoff, register_channels, run_dag
from test_quality_dag import slack  # noqa: F401 (fixture)
from test_quality_scenarios import T, build

from ytempire import assets, settings
from ytempire_dev.simulator import run_simulator

ASSET_TABLES = {asset.name for asset in assets.ALL}
BOOKKEEPING = {f"analytics.{t}" for t in (
    "schema_migrations", "warehouse_settings", "query_performance_log", "step_budgets",
    "fact_invalidation", "revenue_invalidation", "revenue_input_invalidation",
    "youtube_reporting_job", "youtube_reporting_report", "experiment_switch",
    "youtube_quota_ledger",
    # the hourly merge's previous counters, derived from video_stats_snapshot
    "video_stats_latest")}
# What a task's SQL touches on one database path only: a task declares what it reads and
# writes on either path. (task_id, path) -> (inputs, outputs)
PATH_ONLY = {
    # plain: stray rows of the DEFAULT partition are read and moved (TimescaleDB: a no-op)
    ("ensure_fact_partitions", "plain"): ({"analytics.fact_video_performance"},
                                          {"analytics.fact_video_performance"}),
    # plain: the per-channel rollup is summed from the per-video one just refreshed
    # (TimescaleDB: both continuous aggregates read the fact table)
    ("refresh_mv_historical_performance", "plain"): ({"analytics.mv_video_daily_performance"},
                                                     set()),
}


def dag(dag_id: str):
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(settings.REPO_ROOT / "dags" / f"{dag_id}.py"))
    assert bag.import_errors == {}
    return bag.dags[dag_id]


def assert_lineage(conn, statements: dict, runs: list, db_path: str) -> set:
    """Every task of `runs` emitted exactly the data-flow tables its SQL read and wrote;
    the task ids compared."""
    from airflow.utils.state import DagRunState

    assert all(run.state == DagRunState.SUCCESS for run in runs)
    emitted, namespaces = lineage_events(OPENLINEAGE_EVENTS, {run.run_id for run in runs})
    host_port, database = settings.WAREHOUSE_LOCATION.split("/")
    deriver = Deriver(conn)
    compared, wrong = set(), []
    for key in sorted(set(statements) | set(emitted)):
        assert key in emitted, f"{key} ran SQL but emitted no COMPLETE event"
        derived = deriver.task(statements.get(key, []))
        left = (derived.inputs | derived.outputs) - ASSET_TABLES
        assert left <= BOOKKEEPING, f"{key}: tables its SQL touches without an asset: {left}"
        expected = Tables(derived.inputs & ASSET_TABLES, derived.outputs & ASSET_TABLES)
        for (task_id, path), (inputs, outputs) in PATH_ONLY.items():
            if task_id != key[1]:
                continue
            if path == db_path:  # the exception is real on its path
                assert inputs <= derived.inputs and outputs <= derived.outputs, key
            else:
                expected.add(Tables(inputs, outputs))
        got = emitted[key]
        if (got.inputs, got.outputs) != (expected.inputs, expected.outputs):
            wrong.append((key, "emitted", got, "SQL", expected))
        compared.add(key[1])
    assert wrong == [], "\n".join(map(str, wrong))
    assert namespaces == {(f"postgres://{host_port}", database)}, "named as the assets are"
    return compared


@pytest.fixture
def sim():
    with run_simulator(seed=7, channels=2, videos_per_channel=3, clock=START) as s:
        yield s


def test_loads_and_refreshes_emit_what_their_sql_reads_and_writes(
        airflow_db, warehouse_connection, sim, monkeypatch, db_path):
    no_client_backoff(monkeypatch)
    hour = START + timedelta(hours=7)  # the collector's uploads sync is due again by then
    with psycopg.connect(warehouse_connection, autocommit=True) as conn:
        register_channels(conn, sim, monkeypatch)
        # a late cost of a loaded day: the load re-attributes it (its `inputs` unit)
        insert_costs(conn, [(None, sim.world.channels[0].id, START.date() - timedelta(days=10),
                             "hosting", 42)])
        with recorded_statements() as statements:
            runs = [run_dag(dag("youtube_revenue_attribution"), sim, START,
                            {"start_date": "2026-11-14", "end_date": "2026-11-17"})]
            # every statement of the uploads sync runs again: category names unknown again
            conn.execute("delete from analytics.youtube_video_category")
            sim.set_clock(hour)
            for dag_id in ("youtube_video_stats_hourly", "analytics_refresh_hourly",
                           "analytics_refresh_daily"):
                runs.append(dag(dag_id).test(logical_date=pendulum.instance(hour)))
        compared = assert_lineage(conn, statements, runs, db_path)
    assert {"load_channel_revenue", "report_revenue_load", "collect_hourly_counters",
            "refresh_mv_historical_performance", "refresh_daily_revenue_summary",
            "refresh_hourly_channel_metrics", "prune_video_stats_snapshot",
            "ensure_fact_partitions", "plan_channel_batches"} <= compared


def test_quality_checks_and_alerts_emit_what_their_sql_reads_and_writes(
        airflow_db, warehouse_connection, slack, db_path):  # noqa: F811
    quality = dag("analytics_quality_checks")
    with psycopg.connect(warehouse_connection, autocommit=True) as conn:
        with recorded_statements() as statements:
            build(conn, "stale")  # an alert is sent ...
            runs = [quality.test(logical_date=T)]
            later = T + timedelta(hours=1)
            build(conn, "clean", later)  # ... and a recovery
            runs.append(quality.test(logical_date=later))
        compared = assert_lineage(conn, statements, runs, db_path)
    assert len(slack.messages()) == 2
    assert {"check_data_freshness", "check_fact_keys", "route_alerts", "alert_freshness_stale",
            "notify_recoveries"} <= compared


def test_forecasts_emit_what_their_sql_reads_and_writes(airflow_db, warehouse_connection,
                                                        db_path):
    from test_forecasts import LAST, land, series

    from rows import channels

    forecasts = dag("analytics_forecasts")
    with psycopg.connect(warehouse_connection, autocommit=True) as conn:
        channels(conn, ("UCgrown", "Grown", "active"), ("UCyoung", "Young", "active"))
        land(conn, "UCgrown", series(100))  # a back-test is due
        land(conn, "UCyoung", series(10, seed=2))
        with recorded_statements() as statements:
            runs = [forecasts.test(logical_date=pendulum.datetime(
                LAST.year, LAST.month, LAST.day + 1, 7, tz="America/Los_Angeles"),
                run_conf={"backtest": False, "channel_ids": None})]
        compared = assert_lineage(conn, statements, runs, db_path)
    assert {"plan_forecast_batches", "forecast_channel_batch"} <= compared

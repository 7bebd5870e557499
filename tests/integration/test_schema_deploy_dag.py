"""`analytics_schema_deploy` run by Airflow against an empty warehouse, twice."""

import psycopg
import pytest
from conftest import airflow_uri
from psycopg import conninfo
from test_schema_deploy import login_role  # noqa: F401 (a fixture)

from ytempire import migrations


@pytest.fixture
def deploy_dag():
    from airflow.dag_processing.dagbag import DagBag

    from ytempire.settings import REPO_ROOT

    bag = DagBag(dag_folder=str(REPO_ROOT / "dags" / "analytics_schema_deploy.py"))
    return bag.dags["analytics_schema_deploy"]


def test_deploy_dag_twice_on_an_empty_warehouse(airflow_db, empty_database_dsn, deploy_dag,
                                                db_path, monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_YTEMPIRE_WAREHOUSE", airflow_uri(empty_database_dsn))
    from airflow.utils.state import DagRunState

    first = deploy_dag.test(logical_date=_date("2026-11-20"))
    assert first.state == DagRunState.SUCCESS
    with psycopg.connect(empty_database_dsn) as conn:
        applied = conn.execute("select max(applied_at), count(*) from analytics.schema_migrations"
                               ).fetchone()
        partitions = conn.execute(
            "select count(*) from pg_inherits where inhparent = 'analytics.fact_video_performance'::regclass"
        ).fetchone()[0]
    assert applied[1] == len(migrations.discover(db_path))
    # Plain: DEFAULT, October, November and three months ahead; a hypertable has no chunk yet.
    assert partitions == (1 + 1 + 1 + 3 if db_path == "plain" else 0)

    second = deploy_dag.test(logical_date=_date("2026-11-21"))
    assert second.state == DagRunState.SUCCESS
    with psycopg.connect(empty_database_dsn) as conn:
        again = conn.execute("select max(applied_at), count(*) from analytics.schema_migrations"
                             ).fetchone()
    assert again == applied  # the second run applied nothing


def test_deploy_dag_runs_its_tasks_on_a_utc_midnight_in_the_past(airflow_db, empty_database_dsn,
                                                                deploy_dag, monkeypatch):
    """`airflow dags test analytics_schema_deploy 2026-01-01` once ran no task (the DAG
    started at 2026-01-01 in the warehouse zone, after UTC midnight)."""
    monkeypatch.setenv("AIRFLOW_CONN_YTEMPIRE_WAREHOUSE", airflow_uri(empty_database_dsn))
    from airflow.utils.state import DagRunState, TaskInstanceState

    run = deploy_dag.test(logical_date=_date("2026-01-01"))
    assert run.state == DagRunState.SUCCESS
    assert {ti.task_id: ti.state for ti in run.get_task_instances()} == {
        task_id: TaskInstanceState.SUCCESS for task_id in deploy_dag.task_ids}
    with psycopg.connect(empty_database_dsn) as conn:
        assert conn.execute("select count(*) from analytics.schema_migrations").fetchone()[0] == len(
            migrations.discover("plain"))


def test_deploy_dag_deploys_as_the_owner_and_the_rest_as_the_dags_role(
        airflow_db, empty_database_dsn, deploy_dag, db_path, login_role, monkeypatch):  # noqa: F811
    """The deploy used to connect through `ytempire_warehouse`, whose loader role cannot
    create the schema; it uses `ytempire_warehouse_owner` where that is defined."""
    monkeypatch.setenv("AIRFLOW_CONN_YTEMPIRE_WAREHOUSE", airflow_uri(
        conninfo.make_conninfo(empty_database_dsn, user=login_role)))
    monkeypatch.setenv("AIRFLOW_CONN_YTEMPIRE_WAREHOUSE_OWNER", airflow_uri(empty_database_dsn))
    from airflow.utils.state import DagRunState, TaskInstanceState

    run = deploy_dag.test(logical_date=_date("2026-11-20"))
    assert run.state == DagRunState.SUCCESS
    assert {ti.task_id: ti.state for ti in run.get_task_instances()} == {
        task_id: TaskInstanceState.SUCCESS for task_id in deploy_dag.task_ids}
    owner = conninfo.conninfo_to_dict(empty_database_dsn)["user"]
    with psycopg.connect(empty_database_dsn) as conn:
        assert conn.execute("select distinct tableowner from pg_tables where schemaname = 'analytics'"
                            ).fetchall() == [(owner,)]
        partitions = conn.execute(  # created by the DAGs' role, through the owner's function
            "select count(*) from pg_inherits"
            " where inhparent = 'analytics.fact_video_performance'::regclass").fetchone()[0]
    assert partitions == (1 + 1 + 1 + 3 if db_path == "plain" else 0)


def _date(text):
    import pendulum

    return pendulum.parse(text)

"""Every DAG of the bundle imports cleanly, follows the house style and does no
work at parse time (connection, variable or network access fails the parse)."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from ytempire import airflow as af
from ytempire import settings

DAGS_FOLDER = Path(__file__).resolve().parents[2] / "dags"
DAG_FILES = sorted(p for p in DAGS_FOLDER.glob("*.py") if not p.name.startswith("_"))


class ParseTimeAccess(Exception):
    pass


@pytest.fixture(scope="module")
def parse_log():
    return []


@pytest.fixture(scope="module")
def dagbag(parse_log):
    from airflow.dag_processing.dagbag import DagBag
    from airflow.sdk.definitions.connection import Connection
    from airflow.sdk.definitions.variable import Variable

    def refuse(kind):
        def fail(*args, **kwargs):
            parse_log.append((kind, args[1:] if args else ()))
            raise ParseTimeAccess(f"{kind} at parse time: {args} {kwargs}")
        return fail

    mp = pytest.MonkeyPatch()
    mp.setattr(Connection, "get", classmethod(refuse("connection lookup")))
    mp.setattr(Variable, "get", classmethod(refuse("variable lookup")))
    mp.setattr(socket.socket, "connect", refuse("network connection"))
    try:
        bag = DagBag(dag_folder=str(DAGS_FOLDER))
    finally:
        mp.undo()
    return bag


def test_bundle_imports_without_errors(dagbag):
    assert dagbag.import_errors == {}
    assert {d.fileloc for d in dagbag.dags.values()} == {str(p) for p in DAG_FILES}


def test_no_connection_variable_or_network_access_while_parsing(dagbag, parse_log):
    assert parse_log == []


def test_parse_time_is_reported(dagbag):
    total = sum(s.duration.total_seconds() if hasattr(s.duration, "total_seconds") else s.duration
                for s in dagbag.dagbag_stats)
    print(f"\nDagBag parse: {len(dagbag.dagbag_stats)} files, {total:.3f} s in all")
    for stat in dagbag.dagbag_stats:
        print(f"  {stat.file}: {stat.duration}")


@pytest.mark.parametrize("path", DAG_FILES, ids=lambda p: p.stem)
def test_one_dag_per_file_named_after_it(dagbag, path):
    dags = [d for d in dagbag.dags.values() if d.fileloc == str(path)]
    assert [d.dag_id for d in dags] == [path.stem]
    source = path.read_text()
    assert f"def {path.stem}(" in source, "the decorated function carries the dag_id"
    for setting in ("catchup=", "max_active_runs=", "dagrun_timeout=", "template_searchpath="):
        assert setting in source, f"{path.name} must set {setting} explicitly"


@pytest.mark.parametrize("path", DAG_FILES, ids=lambda p: p.stem)
def test_dag_documents_itself_and_is_tagged(dagbag, path):
    dag = dagbag.dags[path.stem]
    assert dag.doc_md and len(dag.doc_md.strip()) > 80
    assert dag.tags and set(dag.tags) <= af.TAGS
    assert dag.dagrun_timeout is not None
    assert dag.max_active_runs is not None
    assert list(dag.template_searchpath) == af.TEMPLATE_SEARCHPATH


@pytest.mark.parametrize("path", DAG_FILES, ids=lambda p: p.stem)
def test_every_task_has_owner_retries_timeout_and_alert(dagbag, path):
    for task in dagbag.dags[path.stem].tasks:
        assert task.owner == af.OWNER, task.task_id
        assert task.retries == settings.TASK_RETRIES, task.task_id
        assert task.execution_timeout is not None, task.task_id
        assert task.on_failure_callback, task.task_id
        assert not task.task_id.startswith("task_"), "task ids must read well alone"


def test_retry_setting_defaults_to_two_with_backoff():
    code = ("import os; [os.environ.pop(k, None) for k in list(os.environ) if k.startswith('YTEMPIRE_')];"
            "from ytempire import settings, airflow;"
            "print(settings.TASK_RETRIES, airflow.DEFAULT_ARGS['retry_exponential_backoff'])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["2", "2.0"]


@pytest.mark.parametrize("path", DAG_FILES, ids=lambda p: p.stem)
def test_every_dag_starts_before_any_channel_history(dagbag, path):
    """A backfill or `airflow dags test` of any day since 2020 (UTC midnight included) runs."""
    import pendulum

    assert dagbag.dags[path.stem].start_date <= pendulum.datetime(2020, 1, 2, tz="UTC")


def test_tasks_declare_only_the_bundles_assets_and_their_uris_are_valid(dagbag):
    """Inlets and outlets name the assets of ytempire.assets, whose URIs are what the
    postgres provider validates (postgres://host:port/database/schema/table)."""
    from urllib.parse import urlsplit

    from airflow.providers.postgres.assets.postgres import sanitize_uri

    from ytempire import assets

    for asset in assets.ALL:
        assert sanitize_uri(urlsplit(asset.uri)).geturl() == asset.uri
        assert asset.uri.endswith("/analytics/" + asset.name.removeprefix("analytics."))
    declared = {asset.uri for asset in assets.ALL}
    used = {a.uri for dag in dagbag.dags.values() for task in dag.tasks
            for a in (*task.inlets, *task.outlets)}
    assert used and used <= declared

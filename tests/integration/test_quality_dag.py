"""`analytics_quality_checks` run by Airflow (dag.test) against the local warehouse,
with the Slack receiver stand-in behind the `slack_alerts` connection.

Each scenario of test_quality_scenarios gives exactly its alert, with its rows, and
nothing else; an unchanged condition is not sent again; fixing the data sends one
recovery; the run succeeds whether or not something alerts.
"""

from __future__ import annotations

import json
from datetime import timedelta

import psycopg
import pytest
from test_quality_scenarios import (
    T,
    build,
    make_missing_hours,
    warehouse_day,
)

from ytempire.settings import REPO_ROOT
from ytempire_dev.slack_receiver import run_receiver, validate_message
from ytempire_dev.testing.runbooks import RUNBOOK_DIR, linked_runbooks, message_text

DAG_ID = "analytics_quality_checks"
PROXY_VARS = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")
SECRET_PATH = "/services/T0SECRET/B0SECRET/s3cr3tW3bh00kT0k3n"


@pytest.fixture(scope="module")
def quality_dag():
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(REPO_ROOT / "dags" / f"{DAG_ID}.py"))
    assert bag.import_errors == {}
    return bag.dags[DAG_ID]


@pytest.fixture
def slack(tmp_path, monkeypatch):
    """The receiver, behind `slack_alerts`; its URL carries a token that must never leak."""
    for var in PROXY_VARS:
        monkeypatch.delenv(var, raising=False)
    with run_receiver(tmp_path / "slack.jsonl", webhook_path=SECRET_PATH) as receiver:
        monkeypatch.setenv(
            "AIRFLOW_CONN_SLACK_ALERTS",
            json.dumps({"conn_type": "slackwebhook", "password": receiver.url}),
        )
        yield receiver


@pytest.fixture
def env(airflow_db, warehouse_connection, slack):
    """Airflow, the warehouse and Slack wired together; yields (connection, receiver)."""
    with psycopg.connect(warehouse_connection, autocommit=True) as conn:
        yield conn, slack


def run(dag, logical_date):
    from airflow.utils.state import DagRunState

    dag_run = dag.test(logical_date=logical_date)
    assert dag_run.state == DagRunState.SUCCESS, "alerting is the job: the run succeeds"
    return dag_run


def task_states(dag_run) -> dict[str, str]:
    from airflow.models.dagrun import DagRun
    from airflow.utils.session import create_session

    with create_session() as session:
        dr = session.query(DagRun).filter_by(dag_id=DAG_ID, run_id=dag_run.run_id).one()
        return {ti.task_id: str(ti.state) for ti in dr.get_task_instances(session=session)}


def followed(dag_run) -> set[str]:
    """The tasks after the branch that ran (not skipped)."""
    states = task_states(dag_run)
    after = {"all_clear", "notify_recoveries"} | {t for t in states if t.startswith("alert_")}
    return {t for t in after if states[t] == "success"}


def alerts_sent(conn) -> list[tuple]:
    return conn.execute(
        "select check_class, message_kind from analytics.quality_alert_log order by id"
    ).fetchall()


# ---- clean data -----------------------------------------------------------------------------


def test_clean_run_ends_in_all_clear_and_sends_nothing(env, quality_dag):
    conn, slack = env
    build(conn, "clean")
    dag_run = run(quality_dag, T)
    assert followed(dag_run) == {"all_clear"}
    assert slack.messages() == [] and slack.rejected() == []
    stored = conn.execute(
        "select check_class, status, count(*) from analytics.quality_check_results "
        "where run_id = %s and logical_time = %s group by 1, 2 order by 1, 2",
        (dag_run.run_id, T),
    ).fetchall()
    assert ("slow_queries", "WARNING", 1) in stored, "WARNING is stored, never sent"
    assert {c for c, _, _ in stored} == {
        "freshness", "reconciliation", "slow_queries", "integrity",
    }
    assert not [row for row in stored if row[1] in ("STALE", "MISMATCH", "MISSING",
                                                     "CRITICAL", "VIOLATION")]
    assert alerts_sent(conn) == []


# ---- each failing class: exactly its alert, with its rows -----------------------------------

EXPECTED = {
    # scenario: (alert task, class title, statuses, keys that must be listed, keys that must not)
    "stale": (
        "alert_freshness_stale", "Data freshness", "STALE",
        ["fact_video_performance"], ["revenue_attribution", "UC_alpha", "UC_beta"],
    ),
    "revenue_mismatch": (
        "alert_reconciliation_mismatch", "Revenue reconciliation", "MISMATCH",
        [(warehouse_day(T) - timedelta(days=3)).isoformat()],
        [(warehouse_day(T) - timedelta(days=2)).isoformat(), "UC_beta"],
    ),
    "revenue_missing": (
        "alert_reconciliation_mismatch", "Revenue reconciliation", "MISSING",
        [(warehouse_day(T) - timedelta(days=5)).isoformat()],
        [(warehouse_day(T) - timedelta(days=4)).isoformat(), "UC_alpha", "UC_beta"],
    ),
    "missed_video": (
        "alert_reconciliation_mismatch", "Revenue reconciliation", "MISMATCH",
        [f"UC_beta {warehouse_day(T) - timedelta(days=4)}", "Beta Channel", "video_rows=1"],
        ["UC_alpha"],
    ),
    "missing_hours": (
        "alert_missing_data_critical", "Missing hourly data", "CRITICAL",
        ["UC_beta", "missing_hours=13", "Beta Channel"], ["UC_alpha"],
    ),
    "slow_query": (
        "alert_slow_queries_critical", "Slow queries and pipeline steps", "CRITICAL",
        ["dashboard_revenue", "avg_execution_time_ms=2500"],
        ["dashboard_trends", "dashboard_channel_detail"],
    ),
    "forecast_degraded": (
        "alert_forecasts_degraded", "Forecast worsening", "DEGRADED",
        ["UC_beta views", "Beta Channel", "ratio=5"], ["UC_alpha"],
    ),
    "negative_cost": (
        "alert_integrity_violation", "Row-level integrity", "VIOLATION",
        ["revenue_attribution api_cost_cents.min", "actual=-40"],
        ["ad_revenue_cents", "fact_video_performance"],
    ),
}


@pytest.mark.parametrize("scenario", sorted(EXPECTED))
def test_each_failing_class_sends_exactly_its_alert(env, quality_dag, scenario):
    from ytempire.airflow import run_url

    conn, slack = env
    task_id, title, status, listed, not_listed = EXPECTED[scenario]
    build(conn, scenario)
    dag_run = run(quality_dag, T)

    assert followed(dag_run) == {task_id}
    assert slack.rejected() == []
    [message] = slack.messages()
    validate_message(message)
    text = message_text(message)
    assert message["text"].startswith(":rotating_light:")
    assert f"{title} {status}" in message["text"]
    assert "*Severity:*" in text and "*What failed:*" in text
    for key in listed:
        assert key in text, key
    for key in not_listed:
        assert key not in text, key
    assert f"<{run_url(DAG_ID, dag_run.run_id)}|Airflow run" in text
    assert SECRET_PATH not in json.dumps(message)
    assert alerts_sent(conn) == [(_class_of(task_id), "alert")]
    [runbook] = linked_runbooks(text)
    assert runbook == RUNBOOK_DIR / f"{_class_of(task_id)}.md" and runbook.is_file()


def _class_of(task_id: str) -> str:
    from ytempire.quality.checks import REGISTRY

    return next(c.name for c in REGISTRY.classes if c.alert_task_id == task_id)


# ---- no storms, then one recovery ----------------------------------------------------------


def test_unchanged_condition_is_not_resent_and_the_fix_sends_one_recovery(env, quality_dag):
    conn, slack = env
    build(conn, "missing_hours")
    first = run(quality_dag, T)
    assert followed(first) == {"alert_missing_data_critical"}
    assert len(slack.messages()) == 1

    # An hour later, the same channel still misses 13 hours: nothing new is sent.
    later = T + timedelta(hours=1)
    build(conn, "missing_hours", later)
    second = run(quality_dag, later)
    assert followed(second) == {"alert_missing_data_critical"}
    assert task_xcom(second, "alert_missing_data_critical") == "suppressed"
    assert len(slack.messages()) == 1

    # Fixed: one recovery message, and the run ends in all_clear.
    fixed = T + timedelta(hours=2)
    build(conn, "clean", fixed)
    third = run(quality_dag, fixed)
    assert followed(third) == {"notify_recoveries", "all_clear"}
    messages = slack.messages()
    assert len(messages) == 2
    recovery = messages[1]
    validate_message(recovery)
    assert recovery["text"].startswith(":white_check_mark: Resolved: Missing hourly data")
    assert "UC_beta" in message_text(recovery)
    assert linked_runbooks(message_text(recovery)) == [RUNBOOK_DIR / "missing_data.md"]

    # Clean again: nothing more.
    again = T + timedelta(hours=3)
    build(conn, "clean", again)
    assert followed(run(quality_dag, again)) == {"all_clear"}
    assert len(slack.messages()) == 2
    assert alerts_sent(conn) == [("missing_data", "alert"), ("missing_data", "recovery")]


def test_a_changed_condition_is_sent_and_a_long_one_is_reminded(env, quality_dag):
    conn, slack = env
    build(conn, "missing_hours")
    run(quality_dag, T)

    # A second channel starts missing hours: a new condition, sent at once.
    later = T + timedelta(hours=1)
    build(conn, "missing_hours", later)
    make_missing_hours(conn, later, channel_id="UC_alpha", hours=14)
    run(quality_dag, later)
    changed = slack.messages()[-1]
    assert "condition changed" in changed["text"]
    assert "New since the last message" in message_text(changed)

    # Unchanged for the whole quiet period (6 h after the last message): a reminder.
    reminder_time = later + timedelta(hours=6)
    build(conn, "missing_hours", reminder_time)
    make_missing_hours(conn, reminder_time, channel_id="UC_alpha", hours=14)
    run(quality_dag, reminder_time)
    assert slack.messages()[-1]["text"].startswith(":bell:")
    assert alerts_sent(conn) == [
        ("missing_data", "alert"), ("missing_data", "changed"), ("missing_data", "reminder"),
    ]


def test_a_second_run_at_the_same_logical_time_sends_nothing_new(env, quality_dag):
    conn, slack = env
    build(conn, "stale")
    run(quality_dag, T)
    run(quality_dag, T)
    assert len(slack.messages()) == 1
    per_run = conn.execute(
        "select run_id, count(*) from analytics.quality_check_results group by 1"
    ).fetchall()
    assert len(per_run) == 2 and per_run[0][1] == per_run[1][1]


def task_xcom(dag_run, task_id):
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session

    with create_session() as session:
        row = session.query(XComModel).filter_by(
            dag_id=DAG_ID, run_id=dag_run.run_id, task_id=task_id, key="return_value"
        ).one()
        return XComModel.deserialize_value(row)


# ---- task failures, and the CLI -------------------------------------------------------------


def test_a_failing_task_alerts_through_the_task_level_notifier(
    airflow_db, slack, monkeypatch, quality_dag, capfd,
):
    """A broken warehouse connection: the first task fails and says so in Slack through
    DEFAULT_ARGS' notifier; the checks never start; the run fails. No secret is shown."""
    from airflow.utils.state import DagRunState

    from ytempire_dev.local_pg import free_port

    password = "hunter2-never-shown"
    monkeypatch.setenv(
        "AIRFLOW_CONN_YTEMPIRE_WAREHOUSE",
        f"postgresql://loader:{password}@127.0.0.1:{free_port()}/warehouse",
    )
    dag_run = quality_dag.test(logical_date=T)
    assert dag_run.state == DagRunState.FAILED
    states = task_states(dag_run)
    assert states["verify_warehouse_ready"] == "failed"
    assert states["check_data_freshness"] == "upstream_failed"
    assert states["confirm_checks_completed"] == "failed"
    texts = [m["text"] for m in slack.messages()]
    assert len(texts) == 2  # the first failure, and the run's verdict; not one per check
    assert texts[0].startswith(
        ":red_circle: *analytics_quality_checks.verify_warehouse_ready* failed"
    )
    assert "Connection refused" in texts[0]
    assert all(linked_runbooks(t) == [RUNBOOK_DIR / "task_failure.md"] for t in texts)
    captured = capfd.readouterr()
    for shown in (json.dumps(slack.messages()), captured.out, captured.err):
        assert password not in shown
        assert SECRET_PATH.rsplit("/", 1)[1] not in shown


def test_each_failed_task_is_named_in_its_own_message(airflow_db, slack, monkeypatch, quality_dag):
    from ytempire_dev.local_pg import free_port

    monkeypatch.setenv(
        "AIRFLOW_CONN_YTEMPIRE_WAREHOUSE",
        f"postgresql://loader@127.0.0.1:{free_port()}/warehouse",
    )
    quality_dag.test(logical_date=T)
    texts = [m["text"] for m in slack.messages()]
    assert [t.split("*")[1] for t in texts] == [
        "analytics_quality_checks.verify_warehouse_ready",
        "analytics_quality_checks.confirm_checks_completed",
    ]
    assert "check_missing_data" in texts[1]


@pytest.mark.parametrize(("scenario", "sent"), [("clean", 0), ("slow_query", 1)])
def test_airflow_dags_test_succeeds_when_clean_and_when_alerting(env, scenario, sent):
    import os
    import subprocess
    import sys

    conn, slack = env
    build(conn, scenario)
    proc = subprocess.run(
        [sys.executable, "-m", "airflow", "dags", "test", DAG_ID, T.isoformat()],
        env=dict(os.environ), capture_output=True, text=True, timeout=300,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-4000:]
    assert len(slack.messages()) == sent
    if sent:
        assert "Slow queries and pipeline steps CRITICAL" in slack.messages()[0]["text"]
    assert SECRET_PATH.rsplit("/", 1)[1] not in output

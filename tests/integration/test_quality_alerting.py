"""The alert logic against the local warehouse and the Slack receiver, task by task
(ytempire.quality.runner and the recorded common-sql checks, without a DAG run):
idempotent re-runs, failed posts, out-of-order runs, unjudged classes, large
conditions, and the row-level integrity checks."""

from __future__ import annotations

import threading
from datetime import timedelta
from types import SimpleNamespace

import psycopg
import pytest
from test_quality_dag import slack  # noqa: F401 (fixture)
from test_quality_scenarios import T, build, run_checks

from ytempire.airflow import run_url
from ytempire.quality import alerts, messages, runner
from ytempire.quality.checks import REGISTRY, TableRules
from ytempire_dev.slack_receiver import validate_message
from ytempire_dev.testing.sessions import locks_of, waiting_on_lock

ALL_CHECKS = [c.name for c in REGISTRY.all_checks()]


def info(run_id: str, logical_time=T, task_id="alert_missing_data_critical") -> messages.RunInfo:
    return messages.RunInfo(
        "analytics_quality_checks", run_id, task_id, logical_time,
        run_url("analytics_quality_checks", run_id),
    )


def checked(conn, scenario: str, run_id: str, logical_time=T) -> None:
    build(conn, scenario, logical_time)
    run_checks(conn, run_id, logical_time)


def states(conn) -> list[tuple]:
    return conn.execute(
        "select check_class, alerting, last_message_kind, last_run_id "
        "from analytics.quality_alert_state order by 1"
    ).fetchall()


def test_rerunning_the_same_run_sends_once(warehouse, slack):  # noqa: F811
    checked(warehouse, "missing_hours", "run_a")
    first = runner.alert_class(warehouse, "missing_data", info("run_a"), ALL_CHECKS)
    run_checks(warehouse, "run_a")  # the run's checks re-run: rows replaced
    again = runner.alert_class(warehouse, "missing_data", info("run_a"), ALL_CHECKS)
    assert (first.kind, again.kind) == (alerts.ALERT, alerts.SUPPRESSED)
    assert len(slack.messages()) == 1
    assert states(warehouse) == [("missing_data", True, "alert", "run_a")]


def test_a_failed_post_keeps_the_state_so_the_retry_sends(warehouse, slack):  # noqa: F811
    checked(warehouse, "stale", "run_b")
    slack.fail_next(500, "internal_error")
    with pytest.raises(Exception, match="500"):
        runner.alert_class(warehouse, "freshness", info("run_b"), ALL_CHECKS)
    assert states(warehouse) == [] and slack.messages() == []
    retried = runner.alert_class(warehouse, "freshness", info("run_b"), ALL_CHECKS)
    assert retried.kind == alerts.ALERT and len(slack.messages()) == 1
    logged = warehouse.execute(
        "select check_class, message_kind, run_id, logical_time, rows_total, condition "
        "from analytics.quality_alert_log"
    ).fetchall()
    assert logged == [("freshness", "alert", "run_b", T, 1,
                       [["data_freshness", "fact_video_performance", "STALE"]])]


def test_an_older_run_than_the_state_sends_nothing(warehouse, slack):  # noqa: F811
    later = T + timedelta(hours=3)
    checked(warehouse, "missing_hours", "run_later", later)
    runner.alert_class(warehouse, "missing_data", info("run_later", later), ALL_CHECKS)
    # An older run cleared afterwards, on data that is clean by then.
    checked(warehouse, "clean", "run_older", T)
    branches = runner.choose_branches(warehouse, "run_older", T, ALL_CHECKS)
    assert branches == ["all_clear"]
    assert runner.notify_recoveries(warehouse, info("run_older"), ALL_CHECKS) == []
    # ... or on data still failing in another way.
    checked(warehouse, "missing_hours", "run_older2", T)
    warehouse.execute("delete from analytics.fact_video_performance where channel_id = 'UC_alpha'")
    run_checks(warehouse, "run_older2", T)
    decision = runner.alert_class(warehouse, "missing_data", info("run_older2"), ALL_CHECKS)
    assert decision.kind == alerts.OUT_OF_ORDER
    assert len(slack.messages()) == 1


def test_a_class_whose_check_did_not_run_is_neither_alerted_nor_recovered(
    warehouse, slack,  # noqa: F811
):
    checked(warehouse, "missing_hours", "run_c")
    runner.alert_class(warehouse, "missing_data", info("run_c"), ALL_CHECKS)
    later = T + timedelta(hours=1)
    checked(warehouse, "clean", "run_d", later)
    without = [c for c in ALL_CHECKS if c != "missing_data"]
    assert runner.choose_branches(warehouse, "run_d", later, without) == []
    assert runner.notify_recoveries(warehouse, info("run_d", later), without) == []
    assert len(slack.messages()) == 1
    # With every check done, the recovery goes out.
    assert runner.choose_branches(warehouse, "run_d", later, ALL_CHECKS) == [
        "notify_recoveries", "all_clear",
    ]
    assert runner.notify_recoveries(warehouse, info("run_d", later), ALL_CHECKS) == [
        "missing_data"
    ]
    assert states(warehouse) == [("missing_data", False, "recovery", "run_d")]
    assert warehouse.execute(
        "select message_kind, condition from analytics.quality_alert_log order by id"
    ).fetchall() == [
        ("alert", [["missing_data", "UC_beta", "CRITICAL"]]),
        ("recovery", [["missing_data", "UC_beta", "CRITICAL"]]),
    ]


def test_hundreds_of_failing_rows_make_one_message_slack_accepts(warehouse, slack):  # noqa: F811
    build(warehouse, "clean")
    with warehouse.cursor() as cur:
        cur.executemany(
            "insert into analytics.dim_channel (channel_id, channel_name, status, created_at) "
            "values (%s, %s, 'active', '2026-01-01Z')",
            [(f"UC_new_{i:03d}", f"New channel {i} " + "x" * 60) for i in range(300)],
        )
    run_checks(warehouse, "run_many")
    runner.alert_class(warehouse, "missing_data", info("run_many"), ALL_CHECKS)
    assert slack.rejected() == []
    [message] = slack.messages()
    validate_message(message)
    assert "300 row(s)" in message["text"]
    assert "of 300 shown)" in message["blocks"][2]["text"]["text"]


# ---- row-level integrity through the common-sql operators ---------------------------------


def _run_operator(rules, run_id: str):
    from airflow.sdk import DAG

    from ytempire.airflow import DEFAULT_ARGS, START_DATE, integrity_check

    with DAG("quality_integrity_test", schedule=None, start_date=START_DATE,
             default_args=DEFAULT_ARGS):
        operator = integrity_check(rules)
    context = {
        "ti": SimpleNamespace(run_id=run_id, dag_id="quality_integrity_test",
                              task_id=operator.task_id, try_number=1),
        "dag_run": SimpleNamespace(logical_date=T, run_after=T),
    }
    return operator.execute(context)


def _integrity_rows(dsn, run_id):
    with psycopg.connect(dsn) as conn:
        return dict(conn.execute(
            "select check_key, status from analytics.quality_check_results where run_id = %s",
            (run_id,),
        ).fetchall())


def test_a_reference_that_does_not_resolve_is_a_recorded_violation(warehouse_connection):
    with psycopg.connect(warehouse_connection, autocommit=True) as conn:
        build(conn, "clean")
        conn.execute(
            "insert into analytics.fact_video_performance (video_id, channel_id, timestamp) "
            "values ('vid_ghost', 'UC_alpha', %s)",
            (T.replace(minute=0) - timedelta(hours=1),),
        )
    fact_keys = next(r for r in REGISTRY.integrity_checks if r.name == "fact_keys")
    summary = _run_operator(fact_keys, "run_fk")
    assert summary == {
        "check": "fact_keys", "class": "integrity", "rows": 3,
        "statuses": {"OK": 2, "VIOLATION": 1}, "alerting": 1,
    }
    assert _integrity_rows(warehouse_connection, "run_fk") == {
        "fact_video_performance unique_video_hour": "OK",
        "fact_video_performance video_resolves": "VIOLATION",
        "fact_video_performance channel_resolves": "OK",
    }


def test_negative_money_is_a_recorded_violation_with_the_value(warehouse_connection):
    with psycopg.connect(warehouse_connection, autocommit=True) as conn:
        build(conn, "negative_cost")
    money = next(r for r in REGISTRY.integrity_checks if r.name == "revenue_money")
    assert _run_operator(money, "run_money")["alerting"] == 1
    with psycopg.connect(warehouse_connection) as conn:
        detail = conn.execute(
            "select details from analytics.quality_check_results "
            "where run_id = 'run_money' and status = 'VIOLATION'"
        ).fetchone()[0]
    assert (detail["column"], detail["actual"], detail["check_type"]) == (
        "api_cost_cents", "-40", "accepted_range",
    )


def test_empty_tables_pass_the_integrity_checks(warehouse_connection):
    for rules in REGISTRY.integrity_checks:
        assert _run_operator(rules, "run_empty")["alerting"] == 0, rules.name


def test_an_integrity_check_that_cannot_run_fails_its_task(warehouse_connection):
    broken = TableRules(
        name="broken", table="analytics.fact_video_performance",
        checks={"no_such_column": "count(no_such_column) = 0"},
        partition_clause="true",
    )
    with pytest.raises(psycopg.errors.UndefinedColumn):
        _run_operator(broken, "run_broken")
    assert _integrity_rows(warehouse_connection, "run_broken") == {}


def test_slack_is_called_holding_no_lock_and_an_overlapping_try_sends_nothing(
        warehouse, warehouse_dsn, slack, monkeypatch):  # noqa: F811
    """The post is made with no transaction open (no row or table lock held); a second
    try of the same task that overlaps it (Airflow retrying a task it lost) waits for
    the class and then finds the condition sent: one message."""
    checked(warehouse, "missing_hours", "run_e")
    real_send, seen = runner._send, {}

    def observed_send(message: dict) -> None:
        seen["locks"] = locks_of(observer, warehouse.info.backend_pid)
        overlapping.start()
        seen["waiting"] = waiting_on_lock(observer)[3]
        real_send(message)

    def overlapping_try() -> None:
        with psycopg.connect(warehouse_dsn, autocommit=True) as conn:
            seen["second"] = runner.alert_class(conn, "missing_data", info("run_e"), ALL_CHECKS)

    overlapping = threading.Thread(target=overlapping_try)
    monkeypatch.setattr(runner, "_send", observed_send)
    with psycopg.connect(warehouse_dsn, autocommit=True) as observer:
        first = runner.alert_class(warehouse, "missing_data", info("run_e"), ALL_CHECKS)
    overlapping.join(30)
    assert seen["locks"] == [] and seen["waiting"] == "advisory"
    assert (first.kind, seen["second"].kind) == (alerts.ALERT, alerts.SUPPRESSED)
    assert len(slack.messages()) == 1

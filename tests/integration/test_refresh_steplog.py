"""Step logging (ytempire.steplog) and analytics.log_query_performance: real durations,
rows and outcomes, written even when the step fails."""

from __future__ import annotations

import psycopg
import pytest

from ytempire.steplog import TaskRun, logged_step


def _log_rows(conn, name: str) -> list[dict]:
    cur = conn.execute(
        "select query_name, execution_time_ms, rows_returned, success, error_message, kind, "
        "run_id, try_number, timestamp from analytics.query_performance_log "
        "where query_name = %s order by id", (name,))
    columns = [c.name for c in cur.description]
    return [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]


def test_a_step_logs_its_wall_clock_duration_rows_and_success(warehouse):
    conn = warehouse
    with logged_step(conn, TaskRun("test.sleep", "run-1", 2)) as step:
        conn.execute("select pg_sleep(0.3)")
        step.rows = 7
    [row] = _log_rows(conn, "test.sleep")
    assert 300 <= row["execution_time_ms"] < 5000
    assert row["execution_time_ms"] == step.elapsed_ms
    assert (row["rows_returned"], row["success"], row["error_message"]) == (7, True, None)
    assert (row["kind"], row["run_id"], row["try_number"]) == ("step", "run-1", 2)


def test_a_failing_step_is_rolled_back_logged_and_reraised(warehouse):
    conn = warehouse
    with pytest.raises(psycopg.errors.DivisionByZero):
        with logged_step(conn, TaskRun("test.fails")) as step:
            conn.execute("insert into analytics.step_budgets values ('test.%', 1, 2)")
            step.rows = 1
            conn.execute("select 1 / 0")
    assert conn.execute(
        "select count(*) from analytics.step_budgets where name_pattern = 'test.%'"
    ).fetchone() == (0,)
    [row] = _log_rows(conn, "test.fails")
    assert row["success"] is False
    assert row["error_message"].startswith("DivisionByZero: division by zero")
    assert row["execution_time_ms"] >= 0
    assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE


def test_a_python_error_in_a_step_is_logged_too(warehouse):
    with pytest.raises(ValueError, match="bad input"):
        with logged_step(warehouse, TaskRun("test.python_error"), kind="query"):
            raise ValueError("bad input")
    [row] = _log_rows(warehouse, "test.python_error")
    assert (row["success"], row["kind"]) == (False, "query")
    assert row["error_message"] == "ValueError: bad input"


def test_a_step_managing_its_own_transactions_commits_on_success(warehouse_dsn):
    with psycopg.connect(warehouse_dsn) as conn:  # not autocommit, as PostgresHook gives it
        with logged_step(conn, TaskRun("test.own_transactions"), transaction=False) as step:
            step.rows = conn.execute(
                "insert into analytics.step_budgets values ('own.%', 1, 2)").rowcount
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    with psycopg.connect(warehouse_dsn) as check:
        assert check.execute("select count(*) from analytics.step_budgets "
                             "where name_pattern = 'own.%'").fetchone() == (1,)
        [row] = _log_rows(check, "test.own_transactions")
        assert (row["success"], row["rows_returned"]) == (True, 1)


def test_a_step_refuses_a_connection_inside_a_transaction(warehouse_dsn):
    with psycopg.connect(warehouse_dsn) as conn:
        conn.execute("select 1")  # opens a transaction
        with pytest.raises(RuntimeError, match="outside a transaction"):
            with logged_step(conn, TaskRun("test.nested")):
                pass


def test_a_step_within_a_task_is_named_after_it_and_too_long_a_name_is_refused(warehouse):
    run = TaskRun("youtube_revenue_attribution.load_channel_revenue", "run-2", 1)
    with logged_step(warehouse, run.step("load", "UC123", "2026-11-12")) as step:
        step.rows = 3
    [row] = _log_rows(warehouse, "youtube_revenue_attribution.load_channel_revenue.load.UC123."
                                 "2026-11-12")
    assert (row["rows_returned"], row["run_id"], row["try_number"]) == (3, "run-2", 1)
    with pytest.raises(ValueError, match="longer than 100"):
        with logged_step(warehouse, run.step("x" * 60)):
            pass


def test_log_query_performance_logs_hours_not_just_the_seconds_field(warehouse):
    conn = warehouse
    conn.execute("select analytics.log_query_performance('test.long', "
                 "clock_timestamp() - interval '2 hours 3 minutes 4.5 seconds', 12)")
    [row] = _log_rows(conn, "test.long")
    assert 7_384_500 <= row["execution_time_ms"] <= 7_384_500 + 1000
    assert (row["rows_returned"], row["success"], row["kind"]) == (12, True, "query")


def test_log_query_performance_measures_to_the_call_not_the_transaction_start(warehouse):
    conn = warehouse
    with conn.transaction():
        conn.execute("select pg_sleep(0.4)")
        conn.execute("select analytics.log_query_performance('test.in_transaction', now())")
    [row] = _log_rows(conn, "test.in_transaction")
    assert 400 <= row["execution_time_ms"] < 5000

"""The runner writes each unit of a load as a step: one transaction, committed only when
the rows it received balance what the write loaded and quarantined."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ytempire.steplog import TaskRun
from ytempire.youtube.channels import Channel
from ytempire.youtube.runner import Written, write_unit

CHANNEL = Channel("UCrunner", "youtube_default", True)
RUN = TaskRun("test_dag.load_task", "run-1", 1)


@dataclass(frozen=True)
class Unit:
    received: int
    kind: str = "load"
    label: str = "2026-11-12"


def writing(loaded: int, quarantined: int):
    def write(conn, channel, unit, run_id):
        conn.execute("insert into analytics.step_budgets values (%s, 1, 2)", (f"{run_id}.%",))
        return Written(loaded, quarantined, {"budgets": 1})
    return write


def budgets(conn) -> int:
    return conn.execute("select count(*) from analytics.step_budgets "
                        "where name_pattern = 'run-1.%'").fetchone()[0]


def step(conn) -> tuple:
    return conn.execute(
        "select success, rows_returned, error_message from analytics.query_performance_log "
        "where query_name = 'test_dag.load_task.load.UCrunner.2026-11-12' order by id desc limit 1"
    ).fetchone()


def test_a_unit_whose_rows_do_not_balance_commits_nothing(warehouse):
    with pytest.raises(RuntimeError, match="received 5, loaded 3, quarantined 1"):
        write_unit(warehouse, writing(3, 1), CHANNEL, Unit(received=5), RUN)
    assert budgets(warehouse) == 0, "the unit's writes are rolled back"
    success, rows, error = step(warehouse)
    assert (success, rows) == (False, None) and "rows do not balance" in error


def test_a_balanced_unit_commits_and_logs_its_loaded_rows(warehouse):
    written = write_unit(warehouse, writing(3, 2), CHANNEL, Unit(received=5), RUN)
    assert written == Written(3, 2, {"budgets": 1})
    assert budgets(warehouse) == 1
    assert step(warehouse) == (True, 3, None)

"""The rollup refresh task and its parameter, shared by the hourly and the daily refresh DAG."""

from __future__ import annotations

from airflow.sdk import Param, task

from ytempire.dag_defaults import logical_time

FULL_REBUILD_PARAMS = {
    "full_rebuild": Param(
        False, type="boolean",
        description="Recompute every bucket (maintenance; cost grows with history).",
    ),
}


@task
def refresh_rollup(rollup: str, dag_run=None, params=None) -> int | None:
    from ytempire import rollups

    return rollups.run_refresh_step(rollup, logical_time(dag_run), params["full_rebuild"])

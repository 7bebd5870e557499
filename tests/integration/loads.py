"""Runs a YouTube load outside Airflow the way its DAG does: plan, one runner batch per
mapped task (its failures raised as the task raises them), summarise."""

from __future__ import annotations

from datetime import datetime

import psycopg

from ytempire.airflow import raise_for_failures
from ytempire.steplog import TaskRun
from ytempire.youtube.channels import plan_batches
from ytempire.youtube.runner import ChannelLoad, run_batch
from ytempire.youtube.summary import summarise


def run_load(conn: psycopg.Connection, load: ChannelLoad, logical_time: datetime, run: TaskRun,
             batch_size: int) -> tuple[dict, list[Exception]]:
    """The run's summary and the exceptions its mapped tasks raised."""
    batches, errors = [], []
    for group in plan_batches(conn, batch_size):
        done = run_batch(group, load, run, logical_time)
        batches.append(done.as_dict())
        try:
            raise_for_failures(done.failures, run.name)
        except Exception as err:  # another mapped task still runs
            errors.append(err)
    return summarise(batches), errors

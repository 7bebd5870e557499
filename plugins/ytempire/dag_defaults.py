"""What every DAG of the bundle shares: default args, tags, paths, the alert notifier."""

from __future__ import annotations

from datetime import datetime, timedelta

import pendulum
from airflow.providers.slack.notifications.slack_webhook import SlackWebhookNotifier

from ytempire import settings
from ytempire.runbooks import TASK_FAILURE, runbook_line, runbooks_of

OWNER = "analytics-engineering"
TAGS = frozenset({"ytempire", "schema", "youtube", "revenue", "refresh", "quality", "forecast"})
TEMPLATE_SEARCHPATH = [str(settings.SQL_DIR)]
# Before any channel's history: a backfill or `airflow dags test` of any past day runs.
START_DATE = pendulum.datetime(2020, 1, 1, tz=settings.WAREHOUSE_TZ)

TASK_FAILURE_TEXT = (
    ":red_circle: *{{ ti.dag_id }}.{{ ti.task_id }}* failed "
    "(try {{ ti.try_number }}, run {{ ti.run_id }})\n"
    "{{ (exception | string)[:1500] }}"
)


def logical_time(dag_run) -> datetime:
    """The run's time: its logical date, or for a run without one (triggered with
    logical_date=None) the time it was queued to run after."""
    return dag_run.logical_date or dag_run.run_after


def task_failure_notifier(runbooks: tuple[str, ...] = (TASK_FAILURE,)) -> SlackWebhookNotifier:
    """Task-level failure alert (a DAG-level notifier crashes under `airflow dags test`),
    ending with the runbook links."""
    text = "\n".join([TASK_FAILURE_TEXT, *(runbook_line(name) for name in runbooks)])
    return SlackWebhookNotifier(slack_webhook_conn_id=settings.SLACK_CONN_ID, text=text)


def notify_task_failure(context) -> None:
    """A fresh notifier per failure: a notifier keeps the text it rendered first, so a
    shared one would name the first failed task in every later message of the process."""
    task_failure_notifier(runbooks_of(context.get("exception")))(context)


def notify_task_failure_with(*runbooks: str):
    """A DAG's own failure callback: these runbooks unless the error names its own."""
    def notify(context) -> None:
        named = getattr(context.get("exception"), "runbooks", ())
        task_failure_notifier(tuple(named) or runbooks)(context)

    return notify


DEFAULT_ARGS = {
    "owner": OWNER,
    "retries": settings.TASK_RETRIES,
    "retry_delay": settings.TASK_RETRY_DELAY,
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": settings.TASK_MAX_RETRY_DELAY,
    "execution_timeout": timedelta(minutes=30),
    "on_failure_callback": [notify_task_failure],
    "conn_id": settings.WAREHOUSE_CONN_ID,
}

"""
### Data-quality checks and Slack alerts

Every hour at minute 20 (UTC), after the hourly collector and the rollup refresh,
checks the warehouse **as of the run's logical time** (never the wall clock) and
keeps every result row in `analytics.quality_check_results` (run id, logical
time, class, check, key, status, details). Re-running a run replaces its rows.

| class | checks | alerts on |
|---|---|---|
| freshness | `check_data_freshness` | STALE |
| reconciliation | `check_revenue_reconciliation` (per day) | MISMATCH, MISSING |
| reconciliation | `check_channel_revenue_reconciliation` (per channel and day) | MISMATCH, MISSING |
| missing_data | `check_missing_data` | CRITICAL |
| slow_queries | `check_slow_queries` (+ `report_slowest_statements`, a report only) | CRITICAL |
| integrity | `check_*_keys`, `check_*_money` (common-sql check operators) | VIOLATION |

`route_alerts` then follows one Slack alert task per failing class
(`alert_freshness_stale`, ...), `notify_recoveries` when a class that alerted
passes again, and `all_clear` when nothing fails. WARNING results are stored and
charted, never sent. A condition (class + its set of failing keys and statuses)
already sent is not sent again for `YTEMPIRE_ALERT_QUIET_HOURS` (default 6), then
as a reminder; the state is in `analytics.quality_alert_state`, every message in
`analytics.quality_alert_log`.

Alerting is the job: a run that finds problems succeeds. A check that cannot run
fails its task (alerted by the task-level notifier); its class is not judged in
that run, and `confirm_checks_completed` fails the run. Details and thresholds:
`docs/quality-checks.md`; every alert links its runbook in `docs/runbooks/`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from airflow.sdk import CronTriggerTimetable, TriggerRule, dag, task

from ytempire import airflow as af
from ytempire import assets
from ytempire.quality.checks import REGISTRY


@dag(
    schedule=CronTriggerTimetable("20 * * * *", timezone="UTC"),
    start_date=af.START_DATE,
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(minutes=45),
    default_args=af.DEFAULT_ARGS,
    template_searchpath=af.TEMPLATE_SEARCHPATH,
    tags=["ytempire", "quality"],
    doc_md=__doc__,
)
def analytics_quality_checks():
    @task
    def verify_warehouse_ready() -> None:
        af.verify_warehouse_ready()

    @task(multiple_outputs=False)
    def run_check(name: str, **context) -> dict:
        return af.run_check(name, context)

    @task.branch(trigger_rule=TriggerRule.ALL_DONE, inlets=assets.ALERT_STATE)
    def route_alerts(**context) -> list[str]:
        return af.route_alerts(context)

    @task(inlets=assets.ALERT_STATE, outlets=assets.ALERTS_SENT)
    def send_alert(class_name: str, **context) -> str:
        return af.send_alert(class_name, context)

    @task(inlets=assets.ALERT_STATE, outlets=assets.ALERTS_SENT)
    def notify_recoveries(**context) -> list[str]:
        return af.notify_recoveries(context)

    @task
    def all_clear() -> None:
        """Every check class was judged and none alerts."""

    @task(trigger_rule=TriggerRule.ONE_FAILED)
    def confirm_checks_completed(**context) -> None:
        af.confirm_checks_completed(context)

    ready = verify_warehouse_ready()
    checks: list[Any] = [
        *(run_check.override(task_id=c.task_id, inlets=assets.of(*c.reads),
                             outlets=[assets.QUALITY_CHECK_RESULTS])(c.name)
          for c in REGISTRY.sql_checks),
        *(af.integrity_check(rules) for rules in REGISTRY.integrity_checks),
    ]
    branch = route_alerts()
    ready >> checks
    checks >> branch
    checks >> confirm_checks_completed()
    branch >> [send_alert.override(task_id=c.alert_task_id)(c.name) for c in REGISTRY.classes]
    branch >> [notify_recoveries(), all_clear()]


analytics_quality_checks()

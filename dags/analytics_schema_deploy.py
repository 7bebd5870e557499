"""
### Analytics schema deployment

Applies the versioned migrations of `include/sql/migrations` (tables, indexes, data
changes) in order, each recorded with its checksum and duration in
`analytics.schema_migrations`, then the repeatable files of `include/sql/warehouse`
(functions, views, triggers) that changed, recorded in `analytics.schema_repeatables`,
then stores and applies the settings the schema derives objects from, through the
owner's connection `ytempire_warehouse_owner` (`ytempire_warehouse`, with a warning,
where it is not defined). Re-running applies nothing; a changed, already applied
migration fails the run; concurrent deploys wait on an advisory lock, for
`YTEMPIRE_DEPLOY_LOCK_WAIT_SECONDS` at most.

TimescaleDB is used when the extension can really be created (it must be in
`shared_preload_libraries`); otherwise the plain PostgreSQL path is deployed.
On the plain path the fact table's monthly partitions from the month before the
logical date to `YTEMPIRE_PARTITION_MONTHS_AHEAD` months after it are created too.
Trigger it by hand after every release.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from airflow.sdk import dag, task

from ytempire.dag_defaults import DEFAULT_ARGS, START_DATE, TEMPLATE_SEARCHPATH, logical_time

log = logging.getLogger(__name__)


@dag(
    schedule=None,
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=1),
    default_args=DEFAULT_ARGS,
    template_searchpath=TEMPLATE_SEARCHPATH,
    tags=["ytempire", "schema"],
    doc_md=__doc__,
)
def analytics_schema_deploy():
    @task
    def apply_migrations() -> dict:
        from airflow.sdk.exceptions import AirflowFailException

        from ytempire.migrations import MigrationError
        from ytempire.schema_deploy import connect_owner, deploy

        with connect_owner() as conn:
            try:
                result = deploy(conn)
            except MigrationError as err:
                raise AirflowFailException(str(err)) from err  # retrying cannot help
        log.info(
            "%s path: %d migration(s) applied %s, %d already applied; repeatable files "
            "applied: %s", result.flavor, len(result.applied), result.applied,
            result.already_applied, result.repeatables or "none",
        )
        return {"flavor": result.flavor, "applied": result.applied}

    @task
    def ensure_fact_partitions(dag_run=None) -> list[str]:
        from ytempire import partitions

        return partitions.run_partition_step(*partitions.months_around(logical_time(dag_run)))

    @task
    def summarize_warehouse(deployed: dict) -> list:
        from ytempire.warehouse import connect, sql_file

        with connect() as conn:
            rows = conn.execute(sql_file("deploy/summary.sql")).fetchall()
        log.info("warehouse deployed on the %s path", deployed["flavor"])
        for kind, count, names in rows:
            log.info("%-18s %3d  %s", kind, count, names or "")
        return [list(row) for row in rows]

    deployed = apply_migrations()
    deployed >> ensure_fact_partitions() >> summarize_warehouse(deployed)


analytics_schema_deploy()

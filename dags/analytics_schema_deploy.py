"""
### Analytics schema deployment

Applies the versioned migrations of `include/sql/migrations` to the warehouse
(`ytempire_warehouse`), in order, each recorded with its checksum and duration in
`analytics.schema_migrations`. Re-running applies nothing; a changed, already
applied migration fails the run; concurrent deploys wait on an advisory lock.

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

        from ytempire import migrations
        from ytempire.warehouse import connect

        with connect() as conn:
            try:
                result = migrations.deploy(conn)
            except migrations.MigrationError as err:
                raise AirflowFailException(str(err)) from err  # retrying cannot help
        log.info(
            "%s path: %d migration(s) applied %s, %d already applied",
            result.flavor, len(result.applied), result.applied, result.already_applied,
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

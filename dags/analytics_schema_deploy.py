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

from datetime import timedelta

from airflow.sdk import dag, task

from ytempire import airflow as af
from ytempire import assets


@dag(
    schedule=None,
    start_date=af.START_DATE,
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=1),
    default_args=af.DEFAULT_ARGS,
    template_searchpath=af.TEMPLATE_SEARCHPATH,
    tags=["ytempire", "schema"],
    doc_md=__doc__,
)
def analytics_schema_deploy():
    @task(multiple_outputs=False)
    def apply_migrations() -> dict:
        return af.apply_migrations()

    @task(inlets=assets.FACT_PARTITIONS, outlets=assets.FACT_PARTITIONS)
    def ensure_fact_partitions(dag_run=None) -> list[str]:
        from ytempire.partitions import months_around

        return af.ensure_fact_partitions(*months_around(af.logical_time(dag_run)))

    @task
    def summarize_warehouse(deployed) -> list:
        from ytempire.warehouse import deployed_objects

        return af.run_step(deployed_objects, deployed["flavor"])

    deployed = apply_migrations()
    deployed >> ensure_fact_partitions() >> summarize_warehouse(deployed)


analytics_schema_deploy()

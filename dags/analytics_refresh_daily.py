"""
### Daily refresh and upkeep (03:00 warehouse time, and after each revenue load)

Runs at 03:00 in the warehouse time zone (`WAREHOUSE_TZ`, default
America/Los_Angeles), DST-aware, once the previous warehouse day is complete, and
whenever `youtube_revenue_attribution` has written `analytics.revenue_attribution`
(an asset event), so the day's revenue reaches the daily rollups that morning.

- `refresh_mv_historical_performance`: the per-channel warehouse-day rollup of
  the fact table. Plain PostgreSQL: exactly the (channel, day) buckets in its
  invalidation log, whatever their age. TimescaleDB: the invalidated days
  before the logical warehouse day, via `refresh_continuous_aggregate` in
  autocommit.
- `refresh_daily_revenue_summary`: exactly the revenue days logged as changed
  (both paths). `channel_performance_view` is a plain view over the rollups
  and needs no refresh.
- `ensure_fact_partitions` (plain path): monthly partitions from the month
  before the logical date to `YTEMPIRE_PARTITION_MONTHS_AHEAD` months after it,
  and a partition for every month with stray rows in the DEFAULT partition
  (those rows are moved into it). A no-op on TimescaleDB.
- `prune_video_stats_snapshot`: raw snapshots older than
  `YTEMPIRE_SNAPSHOT_RETENTION_DAYS` before the logical date (never the wall
  clock), except each video's newest one, which the collector still needs as
  its baseline.
- `run_compression_policy` (TimescaleDB): runs the fact table's compression
  policy job now with `CALL run_job`, so compression happens, is visible and is
  retried here even where TimescaleDB's background scheduler fails its jobs
  (harmless where it works: chunks already compressed are skipped). A no-op
  on plain PostgreSQL.
- `analyze_changed_tables`: `ANALYZE` of the leaf tables modified since their
  last analyze; runs after the others whatever their outcome.

Each step is its own task and transaction, retried on its own, and records its
wall-clock duration, rows and outcome in `analytics.query_performance_log`.
Trigger with `{"full_rebuild": true}` to recompute every bucket of the daily
rollups instead (maintenance; docs/operations.md).
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import AssetOrTimeSchedule, CronTriggerTimetable, dag, task

from ytempire import airflow as af
from ytempire import assets, settings

ROLLUPS = ("mv_historical_performance", "daily_revenue_summary")


@dag(
    schedule=AssetOrTimeSchedule(
        timetable=CronTriggerTimetable("0 3 * * *", timezone=settings.WAREHOUSE_TZ),
        assets=assets.REVENUE_ATTRIBUTION,
    ),
    start_date=af.START_DATE,
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(hours=3),
    default_args=af.DEFAULT_ARGS,
    template_searchpath=af.TEMPLATE_SEARCHPATH,
    tags=["ytempire", "refresh"],
    doc_md=__doc__,
    params=af.FULL_REBUILD_PARAMS,
)
def analytics_refresh_daily():
    @task(inlets=assets.FACT_PARTITIONS, outlets=assets.FACT_PARTITIONS)
    def ensure_fact_partitions(dag_run=None) -> list[str]:
        from ytempire.partitions import months_around

        return af.ensure_fact_partitions(*months_around(af.logical_time(dag_run)))

    @task(inlets=[assets.VIDEO_STATS_SNAPSHOT], outlets=[assets.VIDEO_STATS_SNAPSHOT])
    def prune_video_stats_snapshot(dag_run=None) -> int:
        from ytempire import rollups

        return af.run_step(rollups.prune_snapshots, af.logical_time(dag_run))

    @task
    def run_compression_policy() -> int | None:
        from ytempire import rollups

        return af.run_step(rollups.run_compression_policy)

    @task(trigger_rule="all_done")
    def analyze_changed_tables() -> list[tuple[str, int]]:
        from ytempire import rollups

        return af.run_step(rollups.analyze_changed)

    upkeep = [ensure_fact_partitions(), prune_video_stats_snapshot(), run_compression_policy()]
    refreshes = [af.refresh(rollup) for rollup in ROLLUPS]
    upkeep + refreshes >> analyze_changed_tables()


analytics_refresh_daily()

"""
### Hourly rollup refresh

Brings the recent rollups, `analytics.hourly_channel_metrics` and
`analytics.mv_recent_performance`, up to date with everything written to
`analytics.fact_video_performance` since the last refresh: the new hour, late
rows, re-loaded days and hand-made SQL corrections alike.

- **Plain PostgreSQL**: each rollup recomputes exactly the (channel, hour)
  buckets its invalidation log names, whatever their age.
- **TimescaleDB**: `refresh_continuous_aggregate(rollup, NULL, <logical hour>)`,
  in autocommit, recomputes the invalidated hours before the logical hour and
  materializes the new ones; later hours are served by real-time aggregation.

Each rollup is its own task and its own transaction: one failing never rolls
back the other, and each is retried on its own. Every step records its
wall-clock duration, buckets recomputed and outcome in
`analytics.query_performance_log` (kind `step`).

Runs at minute 15 of every hour (UTC), after the hourly collector has written
the previous hour; the quality checks run after it. Trigger with
`{"full_rebuild": true}` to recompute every bucket instead: a maintenance action
whose cost grows with history (docs/operations.md).
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import CronTriggerTimetable, dag

from ytempire import airflow as af

ROLLUPS = ("hourly_channel_metrics", "mv_recent_performance")


@dag(
    schedule=CronTriggerTimetable("15 * * * *", timezone="UTC"),
    start_date=af.START_DATE,
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(minutes=45),
    default_args=af.DEFAULT_ARGS,
    template_searchpath=af.TEMPLATE_SEARCHPATH,
    tags=["ytempire", "refresh"],
    doc_md=__doc__,
    params=af.FULL_REBUILD_PARAMS,
)
def analytics_refresh_hourly():
    for rollup in ROLLUPS:
        af.refresh(rollup)


analytics_refresh_hourly()

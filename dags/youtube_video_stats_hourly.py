"""
### YouTube public counters, every hour

The run for logical hour **H** (UTC, on the hour) snapshots the lifetime
`viewCount`, `likeCount` and `commentCount` of every available video of every
active channel (`analytics.dim_channel.status = 'active'`) into
`analytics.video_stats_snapshot` (one row per video per H), and writes each
video's increment since its previous snapshot into
`analytics.fact_video_performance` at `timestamp = H - 1 hour`: zero increments
included, negative ones (spam removal) kept, the whole increment of a gap in
that one hour. A video's first snapshot is a baseline, except for a video
published after its channel's previous uploads sync (it started from zero, so
its whole count is its first increment); a counter that reappears after being
hidden starts a new baseline; a missing like or comment count is normal. Only
`views`, `likes` and `comments` are written: the daily-only columns belong to
`youtube_revenue_attribution`.

**Only the newest hour can be observed again.** Re-running H while no later
snapshot exists replaces H's snapshots and increments; re-running an older hour
changes nothing and the log says so. `catchup=False`: past hours cannot be
collected, and "backfill" does not apply to this DAG.

Tasks:
1. `ensure_fact_partitions` (serialised): the monthly fact partition for H - 1 h.
2. `plan_channel_batches`: the active channels in groups of
   `YTEMPIRE_CHANNELS_PER_TASK` (default 20).
3. `collect_hourly_counters` (mapped, one task per group, at most
   `YTEMPIRE_COLLECTOR_PARALLELISM` at once): per channel, the uploads and
   metadata sync when the last one is `YTEMPIRE_METADATA_SYNC_HOURS` (default 6)
   old, then `videos.list(part=statistics)`, 50 ids a call, and one transaction
   with the channel's whole hour. Malformed answers (non-numeric counters,
   negative lifetime counts, ids not asked for, duplicates) go to
   `analytics.load_quarantine` with the raw item and a reason; received =
   loaded + quarantined.
4. `summarize_hourly_collection`: totals and API calls of the run.

Failures: `quotaExceeded` stops at once (each channel whole or untouched);
`invalid_grant` marks the channel as needing re-authorisation (alerted once,
cleared by its next success) while the others load; other non-retryable errors
fail the task naming each channel and cause; retryable ones (429, 5xx) are
retried by the client, then by Airflow.

Quota: ceil(videos / 50) units per channel and hour, plus
1 + 2 x ceil(videos / 50) per channel and sync (docs/youtube-hourly-collector.md).
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import CronTriggerTimetable, dag, task

from ytempire import airflow as af
from ytempire import assets, settings


@dag(
    schedule=CronTriggerTimetable("0 * * * *", timezone="UTC"),
    start_date=af.START_DATE,
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(minutes=55),
    default_args=af.DEFAULT_ARGS,
    template_searchpath=af.TEMPLATE_SEARCHPATH,
    tags=["ytempire", "youtube"],
    doc_md=__doc__,
)
def youtube_video_stats_hourly():
    @task(inlets=assets.FACT_PARTITIONS, outlets=assets.FACT_PARTITIONS)
    def ensure_fact_partitions(dag_run=None) -> list[str]:
        from ytempire.youtube.hourly import collection_hour

        hour = collection_hour(af.logical_time(dag_run))
        return af.ensure_fact_partitions(hour - timedelta(hours=1), hour)

    @task(inlets=[assets.DIM_CHANNEL])
    def plan_channel_batches() -> list[list[dict]]:
        return af.plan_channel_batches(settings.CHANNELS_PER_TASK)

    @task(
        multiple_outputs=False,
        map_index_template="{{ channel_batch }}",
        max_active_tis_per_dagrun=settings.COLLECTOR_PARALLELISM,
        inlets=[*assets.UPLOADS_SYNC_READS, assets.VIDEO_STATS_SNAPSHOT, assets.YT_VIDEO_DAILY],
        outlets=[*assets.UPLOADS_SYNC_WRITES, assets.VIDEO_STATS_SNAPSHOT,
                 assets.FACT_VIDEO_PERFORMANCE, assets.LOAD_QUARANTINE],
    )
    def collect_hourly_counters(channels, dag_run=None) -> dict:
        from ytempire.youtube import hourly

        hour = hourly.collection_hour(af.logical_time(dag_run))
        return af.run_channel_batch(channels, hourly.load(hour), hour, f"hour {hour.isoformat()}")

    @task(multiple_outputs=False)
    def summarize_hourly_collection(batches) -> dict:
        return af.summarise_channel_loads(list(batches))

    groups = plan_channel_batches()
    collected = collect_hourly_counters.expand(channels=groups)
    ensure_fact_partitions() >> collected
    summarize_hourly_collection(collected)


youtube_video_stats_hourly()

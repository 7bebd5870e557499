"""Every table of the data flow (docs/design.md "Data flow") as an Airflow Asset.

Tasks declare what they write as `outlets` and what they read as `inlets` with these
(and nothing else): the UI's asset graph, the DAGs scheduled on data and the
OpenLineage events of every task all come from this one declaration. URIs are the
postgres provider's form, `postgres://host:port/database/analytics/<table>`; host, port
and database are `YTEMPIRE_WAREHOUSE_LOCATION`, read at parse time (parsing never looks
up a connection). Each asset's `group` is its table group in the data flow.

Tables the bundle keeps for itself (schema_migrations, warehouse_settings,
query_performance_log, step_budgets, the invalidation logs, the Reporting API's jobs and
downloaded reports, the experiments' switch journal and Data API quota ledger) are not
data flow and have no asset.
"""

from __future__ import annotations

from typing import NamedTuple

from airflow.sdk import Asset

from ytempire import settings


def _asset(table: str, group: str) -> Asset:
    return Asset(name=f"analytics.{table}", group=group,
                 uri=f"postgres://{settings.WAREHOUSE_LOCATION}/analytics/{table}")


# What other systems write (YTEMPIRE's content system, the partner payments).
COST_TRACKING = _asset("cost_tracking", "inputs")
PARTNER_REVENUE = _asset("partner_revenue", "inputs")
CONTENT_VIDEO_TYPE = _asset("content_video_type", "inputs")

# The catalog: the channel registry and its videos, kept by the uploads sync.
DIM_CHANNEL = _asset("dim_channel", "catalog")
DIM_VIDEO = _asset("dim_video", "catalog")
YOUTUBE_VIDEO_CATEGORY = _asset("youtube_video_category", "catalog")
VIDEO_TYPE_BY_CATEGORY = _asset("video_type_by_category", "catalog")

# YouTube's figures as sent.
VIDEO_STATS_SNAPSHOT = _asset("video_stats_snapshot", "youtube")
YT_VIDEO_DAILY = _asset("yt_video_daily", "youtube")
YT_CHANNEL_DAILY = _asset("yt_channel_daily", "youtube")
LOAD_QUARANTINE = _asset("load_quarantine", "youtube")

# The facts and the attribution.
FACT_VIDEO_PERFORMANCE = _asset("fact_video_performance", "facts")
REVENUE_ATTRIBUTION = _asset("revenue_attribution", "revenue")
UNALLOCATED_COST = _asset("unallocated_cost", "revenue")
UNATTRIBUTED_INPUTS = _asset("unattributed_inputs", "revenue")

# The rollups the dashboards read.
HOURLY_CHANNEL_METRICS = _asset("hourly_channel_metrics", "rollups")
MV_RECENT_PERFORMANCE = _asset("mv_recent_performance", "rollups")
MV_HISTORICAL_PERFORMANCE = _asset("mv_historical_performance", "rollups")
MV_VIDEO_DAILY_PERFORMANCE = _asset("mv_video_daily_performance", "rollups")
MV_VIDEO_DAILY_VIEWS = _asset("mv_video_daily_views", "rollups")
DAILY_REVENUE_SUMMARY = _asset("daily_revenue_summary", "rollups")
ROI_BY_VIDEO_TYPE_KEPT = _asset("roi_by_video_type_kept", "rollups")
CHANNEL_PERFORMANCE_VIEW = _asset("channel_performance_view", "rollups")

# Quality checks and their alerts.
QUALITY_CHECK_RESULTS = _asset("quality_check_results", "quality")
QUALITY_ALERT_STATE = _asset("quality_alert_state", "quality")
QUALITY_ALERT_LOG = _asset("quality_alert_log", "quality")

# The forecasts.
FORECAST_DAILY = _asset("forecast_daily", "forecasts")
FORECAST_BACKTEST = _asset("forecast_backtest", "forecasts")
# The back-test in force scored per model, and the model each forecast uses (a view).
FORECAST_BACKTEST_SUMMARY = _asset("forecast_backtest_summary", "forecasts")

# Reach (Reporting API) and the experiments: the registry operators write, the blocks
# the framework draws, what was live when, the per-block outcomes and the results.
YT_REACH_DAILY = _asset("yt_reach_daily", "reach")
EXPERIMENT = _asset("experiment", "experiments")
EXPERIMENT_VARIANT = _asset("experiment_variant", "experiments")
EXPERIMENT_BLOCK = _asset("experiment_block", "experiments")
EXPERIMENT_EXPOSURE = _asset("experiment_exposure", "experiments")
EXPERIMENT_BLOCK_OUTCOME = _asset("experiment_block_outcome", "experiments")
EXPERIMENT_RESULT = _asset("experiment_result", "experiments")

ALL = [value for value in dict(globals()).values() if isinstance(value, Asset)]
BY_TABLE = {asset.name.removeprefix("analytics."): asset for asset in ALL}


def of(*tables: str) -> list[Asset]:
    """The assets of some tables, by name (a name without an asset is an error)."""
    return [BY_TABLE[table] for table in tables]


# What the steps that several tasks share read and write.
FACT_PARTITIONS = [FACT_VIDEO_PERFORMANCE]  # plain path: stray DEFAULT rows moved; else none
UPLOADS_SYNC_READS = [DIM_CHANNEL, DIM_VIDEO, YOUTUBE_VIDEO_CATEGORY, CONTENT_VIDEO_TYPE,
                      VIDEO_TYPE_BY_CATEGORY]
UPLOADS_SYNC_WRITES = [DIM_CHANNEL, DIM_VIDEO, YOUTUBE_VIDEO_CATEGORY]
# rollup -> (what its refresh reads, what it writes), on both paths
ROLLUPS = {
    "hourly_channel_metrics": ([FACT_VIDEO_PERFORMANCE], [HOURLY_CHANNEL_METRICS]),
    "mv_recent_performance": ([FACT_VIDEO_PERFORMANCE], [MV_RECENT_PERFORMANCE]),
    # the per-video daily rollup first, then the per-channel one from it
    "mv_historical_performance": ([FACT_VIDEO_PERFORMANCE, MV_VIDEO_DAILY_PERFORMANCE],
                                  [MV_HISTORICAL_PERFORMANCE, MV_VIDEO_DAILY_PERFORMANCE,
                                   MV_VIDEO_DAILY_VIEWS]),
    # with Query 5's answer for the run's day (it groups by the videos' type)
    "daily_revenue_summary": ([REVENUE_ATTRIBUTION, DIM_VIDEO],
                              [DAILY_REVENUE_SUMMARY, ROI_BY_VIDEO_TYPE_KEPT]),
}


class ReadsWrites(NamedTuple):
    reads: list[Asset]
    writes: list[Asset]


# what the tasks of youtube_experiments read and write
EXPERIMENT_START = ReadsWrites(
    [EXPERIMENT, EXPERIMENT_VARIANT, DIM_CHANNEL, DIM_VIDEO, YT_REACH_DAILY,
     FACT_VIDEO_PERFORMANCE],
    [EXPERIMENT, EXPERIMENT_VARIANT, EXPERIMENT_BLOCK])
EXPERIMENT_ANALYSIS = ReadsWrites(
    [EXPERIMENT, DIM_CHANNEL, DIM_VIDEO, EXPERIMENT_BLOCK, EXPERIMENT_EXPOSURE, YT_REACH_DAILY,
     FACT_VIDEO_PERFORMANCE],
    [EXPERIMENT, EXPERIMENT_BLOCK_OUTCOME, EXPERIMENT_RESULT])
EXPERIMENT_SWITCHES = ReadsWrites(
    [EXPERIMENT, DIM_CHANNEL, DIM_VIDEO, EXPERIMENT_VARIANT, EXPERIMENT_BLOCK,
     EXPERIMENT_EXPOSURE, EXPERIMENT_RESULT],
    [EXPERIMENT, EXPERIMENT_EXPOSURE])
EXPERIMENT_ANNOUNCEMENT = ReadsWrites([EXPERIMENT, EXPERIMENT_VARIANT, EXPERIMENT_RESULT],
                                      [EXPERIMENT])
ALERT_STATE = [QUALITY_CHECK_RESULTS, QUALITY_ALERT_STATE]
ALERTS_SENT = [QUALITY_ALERT_STATE, QUALITY_ALERT_LOG]

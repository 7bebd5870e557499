"""The metric dictionary (include/metrics.yaml) against a deployed warehouse: every
metric column of the spec's tables, rollups, view, check functions and queries has an
entry, and every column an entry names exists."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from ytempire.settings import SQL_DIR
from ytempire.warehouse import sql_file
from ytempire_dev.metrics import Dictionary, load

# The spec's tables, the contract's data tables, the rollups, the view and the check
# functions: what the warehouse exposes. The query files are covered too.
EXPOSED = (
    "dim_channel", "dim_video", "fact_video_performance", "revenue_attribution",
    "cost_tracking", "partner_revenue", "yt_video_daily", "yt_channel_daily",
    "video_stats_snapshot", "unallocated_cost", "query_performance_log",
    "hourly_channel_metrics", "mv_recent_performance", "mv_historical_performance",
    "mv_video_daily_performance", "daily_revenue_summary", "channel_performance_view",
    "check_data_freshness", "check_revenue_reconciliation",
    "check_channel_revenue_reconciliation", "check_missing_data", "check_slow_queries",
    "get_slow_queries", "yt_reach_daily", "experiment", "experiment_block_outcome",
    "experiment_result",
    "get_slow_queries", "forecast_daily", "forecast_backtest", "forecast_backtest_summary",
    "check_forecast_accuracy",
)
QUERIES = tuple(sorted(p.stem for p in (SQL_DIR / "queries").glob("*.sql")))

# Ids, names, labels, times, keys and bookkeeping: not metrics.
NOT_METRICS = frozenset({
    "id", "video_id", "channel_id", "channel_name", "channel_handle", "niche", "title",
    "description", "duration_seconds", "publish_date", "video_type", "thumbnail_url", "tags",
    "category", "category_id", "metadata", "is_available", "unavailable_since",
    "starts_from_zero", "monetization_enabled", "created_date", "status",
    "uploads_playlist_id", "last_uploads_sync_at", "created_at", "updated_at", "recorded_at",
    "timestamp", "hour", "day", "revenue_date", "check_date", "snapshot_hour", "cost_type",
    "kind", "source", "external_ref", "details", "reason", "collected_at", "loaded_at",
    "run_id", "query_name", "error_message", "try_number", "daily_row", "table_name",
    "alert_level", "query", "fact_rows",
    # reach landing and the experiment registry: keys, design, bookkeeping
    "report_id", "report_created_at", "experiment_id", "block_index", "variant", "note",
    "computed_at", "final", "method", "winner_variant", "blocks_used", "metric",
    "block_hours", "blocks", "warmup_hours", "min_detectable_effect", "alpha", "power",
    "seed", "starts_at", "ends_at", "status_reason", "paused_for", "designed_at",
    "concluded_at", "settled_at", "announced_at",
    "model", "trained_through", "target_date",
    "horizon_days", "origin_date", "backtest_through", "newest_origin", "chosen", "check_key",
})


def relation_columns(conn, name: str) -> set[str]:
    """Columns of an analytics table or view, or the output columns of a function."""
    if name.startswith("analytics."):
        return {r[0] for r in conn.execute(sql_file("metrics/object_columns.sql"),
                                           {"name": name})}
    cur = conn.execute(sql_file(f"queries/{name}.sql"), {"as_of": datetime.now(UTC)})
    return {d.name for d in cur.description}


def named_by(dictionary: Dictionary) -> dict[str, set[str]]:
    named: dict[str, set[str]] = {}
    for metric in dictionary.metrics.values():
        for column in metric.columns:
            relation, name = column.rsplit(".", 1)
            named.setdefault(relation, set()).add(name)
    return named


def uncovered(conn, dictionary: Dictionary) -> dict[str, list[str]]:
    """Metric columns of what the warehouse exposes that no entry names."""
    named = named_by(dictionary)
    found = {}
    for relation in (*(f"analytics.{r}" for r in EXPOSED), *QUERIES):
        columns = relation_columns(conn, relation)
        assert columns, f"{relation} not found"
        left = columns - NOT_METRICS - named.get(relation, set())
        if left:
            found[relation] = sorted(left)
    return found


def test_every_metric_column_has_an_entry(warehouse):
    assert uncovered(warehouse, load()) == {}


def test_a_metric_without_an_entry_is_found(warehouse):
    dictionary = load()
    metrics = {k: m for k, m in dictionary.metrics.items() if k != "pooled_roi"}
    assert uncovered(warehouse, replace(dictionary, metrics=metrics)) == {
        "analytics.daily_revenue_summary": ["pooled_roi"],
    }


def test_every_column_named_exists(warehouse):
    missing = {}
    for relation, names in named_by(load()).items():
        absent = names - relation_columns(warehouse, relation)
        if absent:
            missing[relation] = sorted(absent)
    assert missing == {}

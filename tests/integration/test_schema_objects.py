"""After a deploy, every object of the spec and of docs/design.md exists, on both paths."""

import pytest

RELATIONS = [
    # spec §1, §1.2, §4, §6
    "fact_video_performance", "dim_channel", "dim_video", "cost_tracking",
    "hourly_channel_metrics", "revenue_attribution", "daily_revenue_summary",
    "mv_historical_performance", "mv_recent_performance", "query_performance_log",
    "channel_performance_view",
    # docs/design.md fixed names
    "schema_migrations", "video_stats_snapshot", "yt_video_daily", "partner_revenue",
    "load_quarantine", "quality_check_results",
]
FUNCTIONS = [
    "refresh_materialized_views", "get_slow_queries", "check_data_freshness",
    "check_revenue_reconciliation", "check_missing_data", "log_query_performance",
    "check_slow_queries",
]
SPEC_COLUMNS = {
    "fact_video_performance": [
        "id", "video_id", "channel_id", "timestamp", "views", "likes", "dislikes", "comments",
        "shares", "watch_time_minutes", "average_view_duration_seconds", "engagement_rate",
        "estimated_revenue_cents", "actual_revenue_cents", "cost_cents", "created_at", "updated_at"],
    "revenue_attribution": [
        "id", "video_id", "channel_id", "revenue_date", "ad_revenue_cents",
        "sponsorship_revenue_cents", "affiliate_revenue_cents", "other_revenue_cents",
        "ai_cost_cents", "api_cost_cents", "infrastructure_cost_cents", "total_revenue_cents",
        "total_cost_cents", "profit_cents", "roi_percentage", "created_at", "updated_at"],
    "hourly_channel_metrics": ["hour", "channel_id", "videos_count", "total_views",
                               "avg_engagement_rate", "estimated_revenue", "total_cost"],
    "mv_historical_performance": ["day", "channel_id", "videos", "views", "avg_engagement",
                                  "revenue"],
    "mv_recent_performance": ["hour", "channel_id", "video_id", "views", "engagement_rate",
                              "revenue_cents"],
    "daily_revenue_summary": ["revenue_date", "active_channels", "monetized_videos",
                              "total_revenue", "total_cost", "total_profit", "avg_roi",
                              "median_roi"],
    "channel_performance_view": ["channel_name", "video_count", "total_views", "avg_engagement",
                                 "total_revenue", "total_cost", "profit", "revenue_rank"],
}


@pytest.mark.parametrize("name", RELATIONS)
def test_relation_exists(warehouse, name):
    found = warehouse.execute("select to_regclass(%s)", (f"analytics.{name}",)).fetchone()[0]
    assert found is not None


@pytest.mark.parametrize("name", FUNCTIONS)
def test_function_exists(warehouse, name):
    found = warehouse.execute(
        "select count(*) from pg_proc p join pg_namespace n on n.oid = p.pronamespace"
        " where n.nspname = 'analytics' and p.proname = %s", (name,)).fetchone()[0]
    assert found == 1


@pytest.mark.parametrize(("table", "columns"), SPEC_COLUMNS.items(), ids=list(SPEC_COLUMNS))
def test_spec_columns_keep_their_names(warehouse, table, columns):
    present = {r[0] for r in warehouse.execute(
        "select attname from pg_attribute where attrelid = %s::regclass and attnum > 0"
        " and not attisdropped", (f"analytics.{table}",))}
    assert set(columns) <= present


@pytest.mark.only_path("timescale")
def test_timescale_path_uses_hypertable_caggs_and_policies(warehouse):
    """TimescaleDB path only: hypertable, continuous aggregates and policies exist there alone."""
    conn = warehouse
    assert conn.execute(
        "select hypertable_schema, hypertable_name, compression_enabled"
        " from timescaledb_information.hypertables where hypertable_schema = 'analytics'"
    ).fetchall() == [("analytics", "fact_video_performance", True)]
    caggs = conn.execute("select view_name from timescaledb_information.continuous_aggregates"
                         " where view_schema = 'analytics' order by 1").fetchall()
    assert caggs == [("hourly_channel_metrics",), ("mv_historical_performance",),
                     ("mv_recent_performance",), ("mv_video_daily_performance",),
                     ("mv_video_daily_views",)]
    jobs = conn.execute("select proc_name, count(*) from timescaledb_information.jobs"
                        " where proc_schema = '_timescaledb_functions' group by 1 order by 1"
                        ).fetchall()
    assert ("policy_compression", 1) in jobs and ("policy_refresh_continuous_aggregate", 5) in jobs
    assert conn.execute("select extnamespace::regnamespace::text from pg_extension"
                        " where extname = 'timescaledb'").fetchone() == ("public",)


@pytest.mark.only_path("timescale")
def test_timescale_path_has_no_triggers_on_the_hypertable(warehouse):
    """TimescaleDB path only: the continuous aggregates track changes, no trigger may."""
    triggers = warehouse.execute(
        "select tgname from pg_trigger where tgrelid = 'analytics.fact_video_performance'::regclass"
        " and not tgisinternal and tgname not like 'ts_%%'").fetchall()
    assert triggers == []


@pytest.mark.only_path("plain")
def test_plain_path_partitions_and_logs_fact_changes(warehouse):
    """Plain path only: monthly partitions and change-logging triggers replace the hypertable."""
    assert warehouse.execute("select relkind from pg_class where oid ="
                             " 'analytics.fact_video_performance'::regclass").fetchone() == ("p",)
    triggers = {r[0] for r in warehouse.execute(
        "select tgname from pg_trigger where tgrelid = 'analytics.fact_video_performance'::regclass"
        " and not tgisinternal")}
    assert triggers == {"fact_changes_insert", "fact_changes_update", "fact_changes_delete",
                        "fact_changes_truncate"}

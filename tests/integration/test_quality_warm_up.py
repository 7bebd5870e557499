"""Warm-up is not an outage: right after the schema deploy, and for a channel just
registered, the checks raise nothing that alerts; a real outage still does."""

from datetime import timedelta

from test_quality_scenarios import T, build_clean, make_stale, run_checks, statuses

from ytempire.quality import runner


def deployed_at(conn, when) -> None:
    conn.execute("update analytics.schema_migrations set applied_at = %s", (when,))


def alerting(rows_by_check: dict) -> dict[str, dict]:
    """Per check, the rows whose status its class alerts on."""
    found = {}
    for check in runner.REGISTRY.sql_checks:
        alerts_on = runner.REGISTRY.check_class(check.check_class).alerting
        bad = {k: s for k, s in statuses(rows_by_check[check.name]).items() if s in alerts_on}
        if bad and check.name in runner.REGISTRY.alerting_checks(check.check_class):
            found[check.name] = bad
    return found


def test_the_first_checks_after_a_deploy_raise_no_alert(warehouse):
    deployed_at(warehouse, T - timedelta(minutes=40))
    rows = run_checks(warehouse, "run_first", T)
    assert statuses(rows["data_freshness"]) == {
        "fact_video_performance": "FRESH", "revenue_attribution": "FRESH",
        "cost_tracking": "INFO", "partner_revenue": "INFO"}
    assert alerting(rows) == {}


def test_the_run_for_the_schedule_point_just_before_the_first_deploy_raises_no_alert(warehouse):
    """Enabled after the deploy, the DAG first runs for the schedule point before it."""
    deployed_at(warehouse, T + timedelta(minutes=40))
    assert alerting(run_checks(warehouse, "run_catch_up", T)) == {}
    deployed_at(warehouse, T + timedelta(hours=1, minutes=1))
    assert set(alerting(run_checks(warehouse, "run_long_before", T))) == {"data_freshness"}


def test_an_empty_warehouse_past_the_warm_up_is_stale(warehouse):
    deployed_at(warehouse, T - timedelta(hours=6, minutes=1))
    rows = run_checks(warehouse, "run_late", T)
    assert statuses(rows["data_freshness"])["fact_video_performance"] == "STALE"
    # revenue: deployed on D, judged as if loaded up to D - 1, so fine for days
    assert statuses(rows["data_freshness"])["revenue_attribution"] == "FRESH"
    assert set(alerting(rows)) == {"data_freshness"}


def test_a_real_outage_after_a_recent_deploy_still_alerts(warehouse):
    deployed_at(warehouse, T - timedelta(hours=20))
    build_clean(warehouse)
    make_stale(warehouse)  # newest hour 9 h 20 min before T
    rows = run_checks(warehouse, "run_outage", T)
    assert alerting(rows) == {"data_freshness": {"fact_video_performance": "STALE"}}


def test_a_channel_registered_just_now_is_not_missing_data(warehouse):
    deployed_at(warehouse, T - timedelta(days=30))
    build_clean(warehouse)
    warehouse.execute(
        "insert into analytics.dim_channel (channel_id, channel_name, status, niche, created_at)"
        " values ('UC_new', 'New', 'active', 'test', %s)", (T - timedelta(minutes=30),))
    rows = run_checks(warehouse, "run_new_channel", T)
    assert "UC_new" not in statuses(rows["missing_data"])
    assert alerting(rows) == {}
    # A day later, still without data, the channel is missing 23 hours: CRITICAL.
    later = run_checks(warehouse, "run_new_channel_later", T + timedelta(days=1))
    assert statuses(later["missing_data"])["UC_new"] == "CRITICAL"

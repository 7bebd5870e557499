"""The alert decisions and the branch, without a database (ytempire.quality.alerts)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ytempire.quality import alerts
from ytempire.quality.checks import REGISTRY

T = datetime(2026, 6, 15, 17, 20, tzinfo=UTC)
QUIET = timedelta(hours=6)
BETA = ("missing_data", "UC_beta", "CRITICAL")
ALPHA = ("missing_data", "UC_alpha", "CRITICAL")


def state(condition, *, alerting=True, sent=T, evaluated=None, started=T, kind="alert"):
    return alerts.AlertState(
        check_class="missing_data",
        alerting=alerting,
        condition=frozenset(condition),
        episode_started_at=started if alerting else None,
        last_sent_at=sent,
        last_message_kind=kind,
        last_run_id="run_1",
        evaluated_at=evaluated or sent,
    )


# ---- decide ---------------------------------------------------------------------------------


def test_no_earlier_alert_and_clean_sends_nothing():
    assert alerts.decide(None, frozenset(), T, QUIET).kind == alerts.NOTHING


def test_first_failure_is_an_alert_that_starts_an_episode():
    d = alerts.decide(None, frozenset({BETA}), T, QUIET)
    assert (d.kind, d.sends, d.new, d.episode_started_at) == (alerts.ALERT, True, {BETA}, T)


@pytest.mark.parametrize("hours", [0, 1, 5.99])
def test_unchanged_within_the_quiet_period_is_suppressed(hours):
    d = alerts.decide(state({BETA}), frozenset({BETA}), T + timedelta(hours=hours), QUIET)
    assert d.kind == alerts.SUPPRESSED and not d.sends


@pytest.mark.parametrize("hours", [6, 7, 30])
def test_unchanged_for_the_quiet_period_is_reminded(hours):
    d = alerts.decide(state({BETA}), frozenset({BETA}), T + timedelta(hours=hours), QUIET)
    assert d.kind == alerts.REMINDER and d.episode_started_at == T


def test_reminder_period_counts_from_the_last_message():
    reminded = state({BETA}, sent=T + timedelta(hours=6), started=T, kind="reminder")
    assert alerts.decide(reminded, frozenset({BETA}), T + timedelta(hours=11), QUIET).kind == (
        alerts.SUPPRESSED
    )
    assert alerts.decide(reminded, frozenset({BETA}), T + timedelta(hours=12), QUIET).kind == (
        alerts.REMINDER
    )


def test_another_key_is_a_changed_condition_sent_at_once():
    d = alerts.decide(state({BETA}), frozenset({BETA, ALPHA}), T + timedelta(hours=1), QUIET)
    assert (d.kind, d.new, d.cleared, d.episode_started_at) == (
        alerts.CHANGED, {ALPHA}, frozenset(), T,
    )


def test_a_key_clearing_while_others_fail_is_a_changed_condition():
    d = alerts.decide(state({BETA, ALPHA}), frozenset({BETA}), T + timedelta(hours=1), QUIET)
    assert (d.kind, d.cleared) == (alerts.CHANGED, {ALPHA})


def test_another_status_for_the_same_key_is_a_changed_condition():
    mismatch = ("revenue_reconciliation", "2026-06-12", "MISMATCH")
    missing = ("revenue_reconciliation", "2026-06-12", "MISSING")
    d = alerts.decide(state({mismatch}), frozenset({missing}), T + timedelta(hours=1), QUIET)
    assert d.kind == alerts.CHANGED


def test_clean_after_alerting_is_one_recovery():
    d = alerts.decide(state({BETA}), frozenset(), T + timedelta(hours=2), QUIET)
    assert (d.kind, d.cleared, d.episode_started_at) == (alerts.RECOVERY, {BETA}, T)
    recovered = state(frozenset(), alerting=False, sent=T + timedelta(hours=2), kind="recovery")
    assert alerts.decide(recovered, frozenset(), T + timedelta(hours=3), QUIET).kind == (
        alerts.NOTHING
    )


def test_failing_again_after_a_recovery_is_a_new_alert():
    recovered = state(frozenset(), alerting=False, sent=T + timedelta(hours=1), kind="recovery")
    d = alerts.decide(recovered, frozenset({BETA}), T + timedelta(hours=2), QUIET)
    assert (d.kind, d.episode_started_at) == (alerts.ALERT, T + timedelta(hours=2))


def test_an_older_run_than_the_state_decides_nothing():
    later = state({BETA}, evaluated=T + timedelta(hours=3))
    for condition in (frozenset(), frozenset({BETA}), frozenset({ALPHA})):
        assert alerts.decide(later, condition, T, QUIET).kind == alerts.OUT_OF_ORDER


def test_rerunning_the_same_logical_time_is_suppressed():
    assert alerts.decide(state({BETA}), frozenset({BETA}), T, QUIET).kind == alerts.SUPPRESSED


def test_condition_json_round_trip_is_order_free():
    as_json = alerts.condition_to_json({BETA, ALPHA})
    assert as_json == [list(ALPHA), list(BETA)]
    assert alerts.condition_from_json(as_json) == {ALPHA, BETA}
    assert alerts.condition_from_json(None) == frozenset()


# ---- which rows alert, evaluate, route ------------------------------------------------------


def row(check_class, check_name, key, status):
    return {"check_class": check_class, "check_name": check_name, "check_key": key,
            "status": status}


def test_only_each_class_s_alerting_statuses_alert():
    rows = [
        row("freshness", "data_freshness", "fact_video_performance", "STALE"),
        row("freshness", "data_freshness", "revenue_attribution", "WARNING"),
        row("reconciliation", "revenue_reconciliation", "2026-06-12", "MISSING"),
        row("reconciliation", "revenue_reconciliation", "2026-06-14", "PENDING"),
        row("missing_data", "missing_data", "UC_alpha", "WARNING"),
        row("slow_queries", "slow_queries", "q", "CRITICAL"),
        # A report never alerts, whatever its status.
        row("slow_queries", "slowest_statements", "md5:x", "CRITICAL"),
    ]
    assert [r["check_key"] for r in alerts.alerting_only(rows)] == [
        "fact_video_performance", "2026-06-12", "q",
    ]


ALL = [c.name for c in REGISTRY.all_checks()]


def test_clean_run_goes_to_all_clear_only():
    ev = alerts.evaluate(ALL, [], [], T)
    assert alerts.route(ev) == ["all_clear"]


def test_each_failing_class_goes_to_its_alert_task():
    rows = [row("freshness", "data_freshness", "x", "STALE"),
            row("missing_data", "missing_data", "UC_beta", "CRITICAL")]
    ev = alerts.evaluate(ALL, rows, [], T)
    assert alerts.route(ev) == ["alert_freshness_stale", "alert_missing_data_critical"]


def test_recovered_class_goes_to_notify_recoveries_and_all_clear():
    ev = alerts.evaluate(ALL, [], [state({BETA})], T + timedelta(hours=1))
    assert ev.recovering == ("missing_data",)
    assert alerts.route(ev) == ["notify_recoveries", "all_clear"]


def test_a_class_whose_check_failed_is_not_judged():
    succeeded = [c for c in ALL if c != "missing_data"]
    ev = alerts.evaluate(succeeded, [], [state({BETA})], T + timedelta(hours=1))
    assert ev.unknown == ("missing_data",) and ev.recovering == ()
    assert alerts.route(ev) == []  # no recovery, and no all_clear: not everything was judged


def test_the_report_only_check_does_not_hold_up_its_class():
    succeeded = [c for c in ALL if c != "slowest_statements"]
    assert alerts.route(alerts.evaluate(succeeded, [], [], T)) == ["all_clear"]


def test_every_class_has_a_distinct_alert_task_and_alerting_checks():
    task_ids = [c.alert_task_id for c in REGISTRY.classes]
    assert len(set(task_ids)) == len(task_ids)
    assert not {alerts.ALL_CLEAR_TASK_ID, alerts.RECOVERY_TASK_ID} & set(task_ids)
    for cls in REGISTRY.classes:
        assert REGISTRY.alerting_checks(cls.name), cls.name
        assert cls.alerting and "WARNING" not in cls.alerting

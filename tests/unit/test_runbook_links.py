"""Every alert the bundle can send links to a runbook that exists: quality alerts and
recoveries per class, task failures, quota exhaustion, re-authorisation."""

from datetime import UTC, datetime

import pytest

from ytempire import runbooks
from ytempire.quality import alerts, messages
from ytempire.quality.checks import REGISTRY
from ytempire_dev.testing.runbooks import RUNBOOK_DIR, linked_runbooks, message_text

NAMES = {c.name for c in REGISTRY.classes} | {
    runbooks.TASK_FAILURE, runbooks.QUOTA_EXHAUSTED, runbooks.REAUTHORISATION, runbooks.FORECASTS,
}
SECTIONS = ("## What it means", "## First three things to look at", "## Usual causes",
            "## Fix", "## Confirm recovery")
T = datetime(2026, 6, 15, 17, 20, tzinfo=UTC)
RUN = messages.RunInfo("analytics_quality_checks", "run_1", "alert_x", T, "http://airflow/run_1")


def test_every_alert_has_a_runbook_with_its_sections_and_no_runbook_is_orphaned():
    files = {p.stem for p in RUNBOOK_DIR.glob("*.md")} - {"README"}
    assert files == NAMES
    for name in NAMES:
        text = (RUNBOOK_DIR / f"{name}.md").read_text()
        assert all(section in text for section in SECTIONS), name


@pytest.mark.parametrize("cls", REGISTRY.classes, ids=lambda c: c.name)
def test_quality_alerts_and_recoveries_link_their_class_runbook(cls):
    status = sorted(cls.alerting)[0]
    rows = [{"check_name": "x", "check_class": cls.name, "check_key": "k", "status": status,
             "details": {}}]
    condition = alerts.condition_of(rows)
    alert = messages.alert_message(
        cls, rows, alerts.Decision(alerts.ALERT, "", condition, new=condition), RUN, 20)
    recovery = messages.recovery_message(
        cls, alerts.Decision(alerts.RECOVERY, "", cleared=condition, episode_started_at=T),
        RUN, 20)
    for message in (alert, recovery):
        [path] = linked_runbooks(message_text(message))
        assert path == RUNBOOK_DIR / f"{cls.name}.md" and path.is_file()


def _failure(reason: str):
    from ytempire.youtube.runner import Failure

    retryable = reason == "backendError"
    return Failure("UC_x", reason, "boom", retryable=retryable)


@pytest.mark.parametrize(("reasons", "expected"), [
    (["quotaExceeded"], ("quota_exhausted",)),
    (["dailyLimitExceeded"], ("quota_exhausted",)),
    (["invalid_grant"], ("reauthorisation",)),
    (["forbidden"], ("task_failure",)),
    (["backendError"], ("task_failure",)),
    (["invalid_grant", "quotaExceeded"], ("reauthorisation", "quota_exhausted")),
])
def test_channel_failures_carry_the_runbooks_of_their_causes(reasons, expected):
    from ytempire.airflow import raise_for_failures

    with pytest.raises(Exception) as raised:
        raise_for_failures([_failure(r) for r in reasons], "revenue load")
    assert runbooks.runbooks_of(raised.value) == expected


def test_any_other_task_failure_links_the_task_failure_runbook():
    from ytempire.airflow import task_failure_notifier

    assert runbooks.runbooks_of(RuntimeError("connection refused")) == ("task_failure",)
    assert runbooks.runbooks_of(None) == ("task_failure",)
    text = task_failure_notifier(("reauthorisation", "quota_exhausted")).text
    assert linked_runbooks(text) == [RUNBOOK_DIR / "reauthorisation.md",
                                     RUNBOOK_DIR / "quota_exhausted.md"]


def test_a_url_base_gives_slack_links():
    base = "https://git.example/ytempire-analytics/blob/main/docs/runbooks/"
    line = runbooks.runbook_line("freshness", base)
    assert line == f"*Runbook:* <{base}freshness.md|freshness.md>"
    assert linked_runbooks(line, base) == [RUNBOOK_DIR / "freshness.md"]
    assert runbooks.runbook_line("freshness") == "*Runbook:* docs/runbooks/freshness.md"


def test_forecast_task_failures_link_the_forecasts_runbook():
    """analytics_forecasts' default args name the forecasts runbook for any failure that
    does not name its own."""
    from ytempire.airflow import task_failure_notifier

    forecasts = (runbooks.FORECASTS,)
    assert runbooks.runbooks_of(RuntimeError("no finite forecast"), forecasts) == forecasts
    named = RuntimeError("quota")
    named.runbooks = ("quota_exhausted",)  # type: ignore[attr-defined]
    assert runbooks.runbooks_of(named, forecasts) == ("quota_exhausted",)
    assert linked_runbooks(task_failure_notifier(forecasts).text) == [RUNBOOK_DIR / "forecasts.md"]
    source = (RUNBOOK_DIR.parents[1] / "dags" / "analytics_forecasts.py").read_text()
    assert "default_args=af.default_args_with_runbook(FORECASTS)" in source

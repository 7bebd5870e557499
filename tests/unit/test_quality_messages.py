"""Slack messages of the quality alerts: content, escaping and Slack's limits
(validated with the receiver's own validator, the rules Slack applies)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ytempire.quality import alerts, messages
from ytempire.quality.checks import REGISTRY
from ytempire_dev.slack_receiver import MAX_BLOCKS, validate_message

T = datetime(2026, 6, 15, 17, 20, tzinfo=UTC)
RUN = messages.RunInfo(
    dag_id="analytics_quality_checks",
    run_id="scheduled__2026-06-15T17:20:00+00:00",
    task_id="alert_missing_data_critical",
    logical_time=T,
    url="http://airflow.example/dags/analytics_quality_checks/runs/scheduled__2026-06-15T17%3A20",
)


def missing_row(channel: str, hours: int = 13, name: str | None = None) -> dict:
    return {
        "check_class": "missing_data",
        "check_name": "missing_data",
        "check_key": channel,
        "status": "CRITICAL",
        "details": {
            "channel_id": channel,
            "channel_name": name or f"Channel {channel}",
            "missing_hours": hours,
            "last_data_point": "2026-06-15T16:00:00+00:00",
            "status": "CRITICAL",
        },
    }


def alert(rows, kind=alerts.ALERT, max_rows=20, **decision):
    d = alerts.Decision(kind, "test", alerts.condition_of(rows), episode_started_at=T, **decision)
    return messages.alert_message(REGISTRY.check_class("missing_data"), rows, d, RUN, max_rows)


def all_text(message: dict) -> str:
    parts = [message["text"]]
    for block in message["blocks"]:
        if "text" in block:
            parts.append(block["text"]["text"])
        parts += [e["text"] for e in block.get("elements", [])]
    return "\n".join(parts)


def test_alert_says_what_failed_rows_severity_and_links_the_run():
    message = alert([missing_row("UC_beta")])
    validate_message(message)
    text = all_text(message)
    assert message["text"].startswith(":rotating_light: [CRITICAL] Missing hourly data CRITICAL")
    assert "*What failed:* Missing hourly data: 1 CRITICAL" in text
    assert "*Severity:* critical" in text
    assert "UC_beta  CRITICAL  channel_name=Channel UC_beta  missing_hours=13" in text
    assert "last_data_point=2026-06-15 16:00 UTC" in text
    assert f"<{RUN.url}|Airflow run {RUN.run_id}>" in text
    assert "logical time 2026-06-15 17:20 UTC" in text


def test_rows_are_capped_and_the_total_is_stated():
    rows = [missing_row(f"UC_{i:04d}") for i in range(137)]
    message = alert(rows, max_rows=20)
    validate_message(message)
    text = all_text(message)
    assert "*Rows* (20 of 137 shown)" in text
    assert "UC_0019" in text and "UC_0020" not in text
    assert "137 row(s)" in message["text"]


def test_huge_rows_stay_within_slack_limits():
    long_name = "x" * 5000
    rows = [missing_row(f"UC_{'y' * 200}_{i}", name=long_name) for i in range(2000)]
    changed = alert(
        rows,
        kind=alerts.CHANGED,
        max_rows=1000,
        new=alerts.condition_of(rows),
        cleared=frozenset({("missing_data", "z" * 3000, "CRITICAL")}),
    )
    for message in (alert(rows, max_rows=1000), changed):
        validate_message(message)
        assert len(message["blocks"]) <= MAX_BLOCKS
        for block in message["blocks"]:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= 3000
            if block["type"] == "header":
                assert len(block["text"]["text"]) <= 150


def test_mrkdwn_control_characters_and_backticks_are_escaped():
    message = alert([missing_row("UC_<script>", name="Tom & Jerry `live` <b>")])
    text = all_text(message)
    assert "UC_&lt;script&gt;" in text
    assert "Tom &amp; Jerry 'live' &lt;b&gt;" in text
    rows_block = message["blocks"][2]["text"]["text"]
    assert rows_block.count("```") == 2


def test_changed_condition_lists_new_and_cleared_keys():
    beta, alpha = missing_row("UC_beta"), missing_row("UC_alpha", 14)
    message = alert(
        [beta, alpha],
        kind=alerts.CHANGED,
        new=frozenset({("missing_data", "UC_alpha", "CRITICAL")}),
        cleared=frozenset({("missing_data", "UC_gamma", "CRITICAL")}),
    )
    validate_message(message)
    text = all_text(message)
    assert "condition changed" in message["text"]
    assert "*New since the last message* (1)\n```\nUC_alpha  CRITICAL  (missing_data)" in text
    assert "*No longer failing* (1)\n```\nUC_gamma  CRITICAL  (missing_data)" in text
    assert "*Failing since:* 2026-06-15 17:20 UTC" in text


def test_reminder_says_it_is_one():
    message = alert([missing_row("UC_beta")], kind=alerts.REMINDER)
    validate_message(message)
    assert message["text"].startswith(":bell:")
    assert "reminder: still failing" in message["text"]


def test_recovery_message():
    decision = alerts.decide(
        alerts.AlertState("missing_data", True, frozenset({("missing_data", "UC_beta",
                          "CRITICAL")}), T, T, "alert", "run_1", T),
        frozenset(), T + timedelta(hours=2), timedelta(hours=6),
    )
    message = messages.recovery_message(REGISTRY.check_class("missing_data"), decision, RUN, 20)
    validate_message(message)
    assert message["text"].startswith(":white_check_mark: Resolved: Missing hourly data")
    assert "UC_beta" in all_text(message)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "-"),
        ("2026-06-15T16:00:00+00:00", "2026-06-15 16:00 UTC"),
        ("2026-06-15", "2026-06-15"),
        (12.5, "12.5"),
        (1 / 3, "0.333333"),
        ("a\nb   c", "a b c"),
        ("q" * 200, "q" * 79 + "…"),
    ],
)
def test_values_are_shown_short(value, shown):
    assert messages.format_value(value) == shown

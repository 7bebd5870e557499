"""The Slack receiver stand-in, driven through the real Slack provider.

Every post goes through ``SlackWebhookHook(slack_webhook_conn_id="slack_alerts")`` with the
connection given as ``AIRFLOW_CONN_SLACK_ALERTS`` (JSON form), exactly as the DAGs use it.
For a non-200 answer the hook raises ``AirflowException`` whose message carries Slack's
body and status ("Response body: 'invalid_blocks', Status Code: 400").
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path

import pytest

from ytempire_dev.slack_receiver import (
    DEFAULT_WEBHOOK_PATH,
    Rejection,
    rejected_path_for,
    run_receiver,
    validate_message,
)

AirflowException = pytest.importorskip("airflow.providers.common.compat.sdk").AirflowException
SlackWebhookHook = pytest.importorskip(
    "airflow.providers.slack.hooks.slack_webhook"
).SlackWebhookHook

PROXY_VARS = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


@pytest.fixture
def slack(tmp_path, monkeypatch):
    """A running receiver, with ``slack_alerts`` pointing at it through the environment."""
    # slack_sdk sends through HTTP(S)_PROXY when set and ignores NO_PROXY: keep it local.
    for var in PROXY_VARS:
        monkeypatch.delenv(var, raising=False)
    with run_receiver(tmp_path / "slack.jsonl") as receiver:
        monkeypatch.setenv(
            "AIRFLOW_CONN_SLACK_ALERTS",
            json.dumps({"conn_type": "slackwebhook", "password": receiver.url}),
        )
        yield receiver


def hook() -> SlackWebhookHook:
    return SlackWebhookHook(slack_webhook_conn_id="slack_alerts")


def raw_post(url: str, body: bytes, content_type: str) -> tuple[int, str, str]:
    """POST without the provider (for bodies the hook refuses to build)."""
    req = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": content_type}
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(req, timeout=10) as resp:
            return resp.status, resp.read().decode(), resp.headers.get_content_type()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode(), err.headers.get_content_type()


# ---- accepted ------------------------------------------------------------------------------


def test_url_shape_and_connection(slack):
    assert slack.url == f"http://127.0.0.1:{slack.port}{DEFAULT_WEBHOOK_PATH}"
    assert hook()._get_conn_params()["url"] == slack.url
    assert json.loads(slack.connection_json()) == {
        "conn_type": "slackwebhook",
        "password": slack.url,
    }


def test_text_message_is_kept(slack):
    resp = hook().send(text=":red_circle: freshness STALE: fact_video_performance")

    assert resp.status_code == 200
    assert resp.body == "ok"
    assert slack.messages() == [{"text": ":red_circle: freshness STALE: fact_video_performance"}]
    (record,) = slack.records()
    assert record["path"] == DEFAULT_WEBHOOK_PATH
    assert datetime.fromisoformat(record["received_at"]).tzinfo is not None
    assert slack.rejected() == []
    # the file itself is JSON lines a person (or another process) can read
    lines = Path(slack.out).read_text().splitlines()
    assert [json.loads(line)["message"] for line in lines] == slack.messages()


def test_blocks_message_is_kept_verbatim(slack):
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Reconciliation MISMATCH"}},
        section("*2024-05-01*: youtube $12.34 vs calculated $11.00 (10.9 %)"),
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "run scheduled__2024-05-02"}]},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": f"f{i}"} for i in range(10)]},
    ]
    hook().send(text="Reconciliation MISMATCH", blocks=blocks)

    assert slack.messages() == [{"text": "Reconciliation MISMATCH", "blocks": blocks}]


def test_blocks_without_text_are_accepted(slack):
    hook().send(blocks=[section("only blocks")])
    assert slack.messages() == [{"blocks": [section("only blocks")]}]


def test_limits_are_inclusive(slack):
    hook().send(text="fifty", blocks=[section(f"row {i}") for i in range(50)])
    hook().send(text="long", blocks=[section("x" * 3000)])
    assert [len(m["blocks"]) for m in slack.messages()] == [50, 1]


def test_send_dict_and_messages_accumulate_in_order(slack):
    h = hook()
    for i in range(3):
        h.send_dict({"text": f"message {i}"})
    h.send_text("message 3")
    assert [m["text"] for m in slack.messages()] == [f"message {i}" for i in range(4)]


def test_operator_path(slack):
    from airflow.providers.slack.operators.slack_webhook import SlackWebhookOperator

    alert = SlackWebhookOperator(
        task_id="alert", slack_webhook_conn_id="slack_alerts", message="from the operator"
    )
    alert.execute(context={})
    assert slack.messages() == [{"text": "from the operator"}]


def test_concurrent_posts_are_all_kept_whole(slack):
    errors: list[BaseException] = []

    def post(i: int) -> None:
        try:
            hook().send(text=f"parallel {i} " + "y" * 2000)
        except BaseException as err:  # noqa: BLE001 - collected and asserted below
            errors.append(err)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    texts = sorted(m["text"].split()[1] for m in slack.messages())
    assert texts == sorted(str(i) for i in range(20))


def test_form_encoded_payload_is_accepted(slack):
    body = urllib.parse.urlencode({"payload": json.dumps({"text": "legacy form post"})}).encode()
    status, text, ctype = raw_post(slack.url, body, "application/x-www-form-urlencoded")
    assert (status, text, ctype) == (200, "ok", "text/plain")
    assert slack.messages() == [{"text": "legacy form post"}]


def test_any_path_is_accepted(slack):
    other = f"{slack.base_url}/services/T111/B222/other"
    status, text, _ = raw_post(other, json.dumps({"text": "hi"}).encode(), "application/json")
    assert (status, text) == (200, "ok")
    assert slack.records()[0]["path"] == "/services/T111/B222/other"


# ---- refused -------------------------------------------------------------------------------


def assert_refused(slack, exc_info, error: str) -> None:
    message = str(exc_info.value)
    assert f"Response body: {error!r}" in message
    assert "Status Code: 400" in message
    assert slack.messages() == []
    (rejected,) = slack.rejected()
    assert rejected["status"] == 400
    assert rejected["error"] == error
    assert rejected["detail"]


def test_more_than_50_blocks_is_invalid_blocks(slack):
    with pytest.raises(AirflowException) as exc_info:
        hook().send(text="too many", blocks=[section(f"row {i}") for i in range(51)])
    assert_refused(slack, exc_info, "invalid_blocks")
    assert len(slack.rejected()[0]["message"]["blocks"]) == 51  # kept for a person to see
    assert "51 blocks" in slack.rejected()[0]["detail"]


def test_section_text_over_3000_is_invalid_blocks(slack):
    with pytest.raises(AirflowException) as exc_info:
        hook().send(text="long", blocks=[section("x" * 3001)])
    assert_refused(slack, exc_info, "invalid_blocks")
    assert "3001 characters" in slack.rejected()[0]["detail"]


@pytest.mark.parametrize(
    "blocks",
    [
        [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
        [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}],
        [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}],
        [{"type": "section"}],
        [{"text": {"type": "mrkdwn", "text": "no type"}}],
        [{"type": "section", "text": {"type": "markdown_v2", "text": "bad text type"}}],
        "not a list",
    ],
    ids=[
        "header>150",
        "fields>10",
        "field>2000",
        "empty-section",
        "no-type",
        "bad-text-type",
        "str",
    ],
)
def test_other_block_kit_limits_are_invalid_blocks(slack, blocks):
    with pytest.raises(AirflowException) as exc_info:
        hook().send_dict({"text": "fallback", "blocks": blocks})
    assert_refused(slack, exc_info, "invalid_blocks")


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"text": ""}, {"text": "   \n"}, {"blocks": []}, {"text": "", "blocks": []}],
    ids=["nothing", "empty-text", "blank-text", "empty-blocks", "empty-both"],
)
def test_no_text_nor_blocks_is_no_text(slack, kwargs):
    with pytest.raises(AirflowException) as exc_info:
        hook().send(**kwargs)
    assert_refused(slack, exc_info, "no_text")


def test_attachments_only_message_is_accepted(slack):
    # Slack accepts a message whose content is only (legacy) attachments.
    attachments = [{"color": "#d00000", "text": "attachment body", "fallback": "attachment body"}]
    hook().send(attachments=attachments)
    assert slack.messages() == [{"attachments": attachments}]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (b"", "application/json"),
        (b"[1, 2]", "application/json"),
        (b"\xff\xfe", "application/json"),
        (b"payload=%7Bbroken", "application/x-www-form-urlencoded"),
    ],
    ids=["broken-json", "empty", "json-array", "not-utf8", "broken-form-payload"],
)
def test_unparseable_body_is_invalid_payload(slack, body, content_type):
    status, text, ctype = raw_post(slack.url, body, content_type)
    assert (status, text, ctype) == (400, "invalid_payload", "text/plain")
    assert slack.messages() == []
    (rejected,) = slack.rejected()
    assert rejected["error"] == "invalid_payload"
    assert rejected["status"] == 400


def test_hook_refuses_invalid_json_before_sending(slack):
    # The provider validates a string body locally: nothing reaches the receiver.
    with pytest.raises(AirflowException, match="Body expected valid JSON string"):
        hook().send_dict("{not json")
    assert slack.messages() == [] and slack.rejected() == []


def test_rejections_go_to_the_second_file(slack):
    with pytest.raises(AirflowException):
        hook().send(text="")
    hook().send(text="fine")
    assert slack.rejected_path == rejected_path_for(slack.out)
    assert slack.rejected_path.name == "slack.rejected.jsonl"
    assert [json.loads(line)["error"] for line in slack.rejected_path.read_text().splitlines()] == [
        "no_text"
    ]
    assert slack.messages() == [{"text": "fine"}]


def test_injected_failure_raises_then_recovers(slack):
    slack.fail_next(500, "rollup_error")
    with pytest.raises(AirflowException, match="Status Code: 500"):
        hook().send(text="during an outage")
    hook().send(text="after the outage")
    assert slack.messages() == [{"text": "after the outage"}]
    assert slack.rejected()[0]["error"] == "rollup_error"
    assert slack.rejected()[0]["message"] == {"text": "during an outage"}


def test_get_is_not_a_post(slack):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with pytest.raises(urllib.error.HTTPError) as exc_info:
        opener.open(slack.url, timeout=10)
    assert exc_info.value.code == 405


def test_validate_message_without_server():
    validate_message({"text": "ok"})
    with pytest.raises(Rejection) as exc_info:
        validate_message({"blocks": [section("x")] * 51})
    assert exc_info.value.error == "invalid_blocks"
    for empty in ({}, {"text": None}, None):
        with pytest.raises(Rejection) as exc_info:
            validate_message(empty)
        assert exc_info.value.error == "no_text"
    with pytest.raises(Rejection) as exc_info:
        validate_message({"text": 42})
    assert exc_info.value.error == "invalid_payload"


def test_file_is_appended_not_truncated(tmp_path, monkeypatch):
    for var in PROXY_VARS:
        monkeypatch.delenv(var, raising=False)
    out = tmp_path / "nested" / "slack.jsonl"
    for text in ("first", "second"):
        with run_receiver(out) as receiver:
            monkeypatch.setenv("AIRFLOW_CONN_SLACK_ALERTS", receiver.connection_json())
            hook().send(text=text)
    with run_receiver(out) as receiver:
        assert [m["text"] for m in receiver.messages()] == ["first", "second"]


# ---- command line --------------------------------------------------------------------------


def test_cli_prints_url_serves_and_stops_on_sigterm(tmp_path, monkeypatch):
    for var in PROXY_VARS:
        monkeypatch.delenv(var, raising=False)
    out = tmp_path / "cli.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "ytempire_dev.slack_receiver", "--port", "0", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={k: v for k, v in os.environ.items() if k not in PROXY_VARS},
    )
    try:
        line = proc.stdout.readline().strip()
        prefix, url = line.split(" ", 1)
        assert prefix == "SLACK_RECEIVER"
        assert url.startswith("http://127.0.0.1:") and url.endswith(DEFAULT_WEBHOOK_PATH)

        monkeypatch.setenv(
            "AIRFLOW_CONN_SLACK_ALERTS", json.dumps({"conn_type": "slackwebhook", "password": url})
        )
        hook().send(text="via the CLI receiver")
        with pytest.raises(AirflowException, match="no_text"):
            hook().send(text="")

        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["message"] for r in records] == [{"text": "via the CLI receiver"}]
    assert json.loads(rejected_path_for(out).read_text())["error"] == "no_text"
    stderr = proc.stderr.read()
    assert "accepted" in stderr and "rejected" in stderr

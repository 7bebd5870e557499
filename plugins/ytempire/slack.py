"""Messages to Slack through the `slack_alerts` connection (a webhook): the quality
alerts and the experiments' results."""

from __future__ import annotations

from typing import Any

from ytempire import settings


def send(text: str, blocks: list[dict[str, Any]] | None = None) -> None:
    from airflow.providers.slack.hooks.slack_webhook import SlackWebhookHook

    hook = SlackWebhookHook(slack_webhook_conn_id=settings.SLACK_CONN_ID)
    hook.send(text=text, blocks=blocks, unfurl_links=False, unfurl_media=False)

"""A channel's authorised access to the YouTube APIs, built from its Airflow connection.

The steps ask Google's client directly (`request.execute(num_retries=...)`: Google's
own exponential back-off for 429, 5xx and rate limits); what still fails reaches the
runner, whose failure policy classifies it (`ytempire.youtube.runner`). Every HTTP
request is counted here, per endpoint, retries included: YouTube charges quota for
each request it answers.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import google_auth_httplib2
import httplib2
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.model import JsonModel

log = logging.getLogger(__name__)

SCOPES = (
    "https://www.googleapis.com/auth/youtube.readonly",
    "https://www.googleapis.com/auth/yt-analytics.readonly",
    "https://www.googleapis.com/auth/yt-analytics-monetary.readonly",
)
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
# The Data API's method names by HTTP verb (quota tables use them: videos.list, ...).
VERBS = {"GET": "list", "POST": "insert", "PUT": "update", "DELETE": "delete"}


class YouTubeError(Exception):
    """A channel's failure, naming the channel and the cause; `retryable` says whether
    Airflow may try the task again."""

    def __init__(self, channel_id: str, reason: str, message: str, retryable: bool):
        super().__init__(f"channel {channel_id}: {reason}: {message}")
        self.channel_id = channel_id
        self.reason = reason
        self.retryable = retryable


class ReauthorisationNeeded(YouTubeError):
    """The channel's refresh token is dead (invalid_grant): its owner must re-authorise."""

    def __init__(self, channel_id: str, message: str):
        super().__init__(
            channel_id, "invalid_grant",
            f"the refresh token was rejected ({message}); re-authorise channel {channel_id}",
            retryable=False,
        )


class DecimalJsonModel(JsonModel):
    """Parses JSON numbers as Decimal, so dollars are never binary floats."""

    def deserialize(self, content: bytes | str) -> Any:
        if isinstance(content, bytes):
            content = content.decode("utf-8")
        return json.loads(content, parse_float=Decimal) if content else {}


def endpoint(method: str, uri: str, headers: dict | None) -> str:
    """`videos.list`, `reports.query`, ...: what a request asks, for the call counts."""
    verb = (headers or {}).get("x-http-method-override", method).upper()
    resource = urlsplit(uri).path.rstrip("/").rsplit("/", 1)[-1]
    return f"{resource}.query" if resource == "reports" else f"{resource}.{VERBS.get(verb, verb)}"


class CountingHttp(google_auth_httplib2.AuthorizedHttp):
    """Counts every HTTP request sent to the APIs, per endpoint (retries included)."""

    def __init__(self, credentials: Credentials, counter: dict[str, int]):
        super().__init__(credentials, http=httplib2.Http(timeout=60))
        self.counter = counter

    def request(self, uri: str, method: str = "GET", body: Any = None,
                headers: dict | None = None, **kwargs: Any) -> Any:
        name = endpoint(method, uri, headers)
        self.counter[name] = self.counter.get(name, 0) + 1
        return super().request(uri, method, body=body, headers=headers, **kwargs)


@dataclass
class YouTubeClient:
    """One channel's authorised access to the Data API (`data`) and the Analytics API
    (`analytics`); `calls` counts its requests per endpoint."""

    channel_id: str
    data: Any
    analytics: Any
    calls: dict[str, int] = field(default_factory=dict)


def client_for(channel_id: str, conn_id: str) -> YouTubeClient:
    """A client for `channel_id` through the Airflow connection `conn_id`."""
    from airflow.sdk import BaseHook

    conn = BaseHook.get_connection(conn_id)
    extra = conn.extra_dejson
    missing = [k for k in ("client_id", "client_secret", "refresh_token") if not extra.get(k)]
    if missing:
        raise YouTubeError(channel_id, "bad_configuration",
                           f"connection {conn.conn_id} lacks extras {missing}", retryable=False)
    api_root = (extra.get("api_root") or "").rstrip("/") or None
    token_uri = extra.get("token_uri") or (f"{api_root}/token" if api_root else GOOGLE_TOKEN_URI)
    credentials = Credentials(
        token=None, refresh_token=extra["refresh_token"], client_id=extra["client_id"],
        client_secret=extra["client_secret"], token_uri=token_uri, scopes=list(SCOPES),
    )
    client = YouTubeClient(channel_id, None, None)
    options = {"api_endpoint": api_root} if api_root else None
    client.data, client.analytics = (
        build(name, version, http=CountingHttp(credentials, client.calls), model=DecimalJsonModel(),
              client_options=options, static_discovery=True, cache_discovery=False)
        for name, version in (("youtube", "v3"), ("youtubeAnalytics", "v2"))
    )
    return client

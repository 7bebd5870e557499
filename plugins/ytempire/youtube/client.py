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
from datetime import UTC, datetime
from decimal import Decimal
from email.utils import parsedate_to_datetime
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
# Switching titles and thumbnails (youtube_experiments) needs the channel's consent to this.
WRITE_SCOPE = "https://www.googleapis.com/auth/youtube.force-ssl"
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
    """`videos.list`, `reports.query`, `reporting.jobs.list`, ...: what a request asks, for
    the call counts (the Reporting API's, which cost no Data API quota, start `reporting.`)."""
    verb = (headers or {}).get("x-http-method-override", method).upper()
    path = urlsplit(uri).path.rstrip("/")
    resource = path.rsplit("/", 1)[-1]
    if "/v1/media/" in path:
        return "reporting.media.download"
    if "/v1/jobs" in path:
        return "reporting.reports.list" if resource == "reports" else (
            f"reporting.jobs.{'create' if verb == 'POST' else 'list'}")
    if path.endswith("/thumbnails/set"):
        return "thumbnails.set"
    return f"{resource}.query" if resource == "reports" else f"{resource}.{VERBS.get(verb, verb)}"


class CountingHttp(google_auth_httplib2.AuthorizedHttp):
    """Counts every HTTP request sent to the APIs, per endpoint (retries included), and
    keeps the Date of the last answer: when YouTube says it handled it."""

    def __init__(self, credentials: Credentials, counter: dict[str, int]):
        super().__init__(credentials, http=httplib2.Http(timeout=60))
        self.counter = counter
        self.last_date: str | None = None

    def request(self, uri: str, method: str = "GET", body: Any = None,
                headers: dict | None = None, **kwargs: Any) -> Any:
        name = endpoint(method, uri, headers)
        self.counter[name] = self.counter.get(name, 0) + 1
        response, content = super().request(uri, method, body=body, headers=headers, **kwargs)
        self.last_date = response.get("date")
        return response, content


@dataclass
class YouTubeClient:
    """One channel's authorised access to the Data API (`data`), the Analytics API
    (`analytics`) and the Reporting API (`reporting`); `calls` counts its requests per
    endpoint."""

    channel_id: str
    project: str  # the OAuth client id: whose Data API quota the calls spend
    api_root: str | None  # the stand-in's base URL; None for Google's hosts
    http: CountingHttp
    data: Any = None
    analytics: Any = None
    reporting: Any = None
    calls: dict[str, int] = field(default_factory=dict)

    def answered_at(self) -> datetime:
        """YouTube's time of its last answer (its Date header), this machine's without one."""
        date = self.http.last_date
        return parsedate_to_datetime(date).astimezone(UTC) if date else datetime.now(UTC)


APIS = {"data": ("youtube", "v3"), "analytics": ("youtubeAnalytics", "v2"),
        "reporting": ("youtubereporting", "v1")}


def client_for(channel_id: str, conn_id: str, write: bool = False) -> YouTubeClient:
    """A client for `channel_id` through the Airflow connection `conn_id`, allowed to change
    the channel's videos when `write`; a missing or broken connection is the channel's
    failure (not retryable)."""
    try:
        return _client_for(channel_id, conn_id, write)
    except YouTubeError:
        raise
    except Exception as err:  # e.g. the named Airflow connection does not exist
        raise YouTubeError(channel_id, "bad_configuration", f"connection {conn_id!r}: {err}",
                           retryable=False) from err


def project_of(conn_id: str) -> str:
    """The Google Cloud project (OAuth client id) whose Data API quota a connection spends."""
    from airflow.sdk import BaseHook

    client_id: str = BaseHook.get_connection(conn_id).extra_dejson.get("client_id", conn_id)
    return client_id


def _client_for(channel_id: str, conn_id: str, write: bool) -> YouTubeClient:
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
        client_secret=extra["client_secret"], token_uri=token_uri,
        scopes=[*SCOPES, WRITE_SCOPE] if write else list(SCOPES),
    )
    calls: dict[str, int] = {}
    http = CountingHttp(credentials, calls)
    options = {"api_endpoint": api_root} if api_root else None
    services = {
        attribute: build(name, version, http=http, model=DecimalJsonModel(),
                         client_options=options, static_discovery=True, cache_discovery=False)
        for attribute, (name, version) in APIS.items()
    }
    return YouTubeClient(channel_id, extra["client_id"], api_root, http, calls=calls, **services)

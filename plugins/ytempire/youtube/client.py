"""Authorised YouTube API clients built from Airflow connections.

Retryable answers (429, 5xx, 403 rateLimitExceeded, connection errors) are
retried with exponential back-off by the Google client itself
(`execute(num_retries=...)`); everything else becomes a `YouTubeError` that
says whether Airflow may retry it. Every HTTP request is counted.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from decimal import Decimal

import google_auth_httplib2
import httplib2
from google.auth.exceptions import RefreshError, TransportError
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from googleapiclient.model import JsonModel

from ytempire import settings

log = logging.getLogger(__name__)

SCOPES = (
    "https://www.googleapis.com/auth/youtube.readonly",
    "https://www.googleapis.com/auth/yt-analytics.readonly",
    "https://www.googleapis.com/auth/yt-analytics-monetary.readonly",
)
# Switching titles and thumbnails (youtube_experiments) needs the channel's consent to this
WRITE_SCOPE = "https://www.googleapis.com/auth/youtube.force-ssl"
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
NOT_RETRYABLE_REASONS = {
    "quotaExceeded", "dailyLimitExceeded", "forbidden", "insufficientPermissions",
    "badRequest", "invalid", "invalidParameter", "authError",
}


class YouTubeError(Exception):
    """A failed YouTube call, naming the channel and the cause."""

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

    def deserialize(self, content):
        if isinstance(content, bytes):
            content = content.decode("utf-8")
        return json.loads(content, parse_float=Decimal) if content else {}


class DatedJsonModel(DecimalJsonModel):
    """Also keeps the Date header of the last answer: when YouTube says it handled it."""

    last_date: str | None = None

    def response(self, resp, content):
        self.last_date = resp.get("date")
        return super().response(resp, content)


class CountingHttp(google_auth_httplib2.AuthorizedHttp):
    """Counts every HTTP request sent to the APIs (retries included)."""

    def __init__(self, credentials, counter: dict):
        super().__init__(credentials, http=httplib2.Http(timeout=60))
        self.counter = counter

    def request(self, uri, *args, **kwargs):
        self.counter["requests"] = self.counter.get("requests", 0) + 1
        return super().request(uri, *args, **kwargs)


@dataclass
class Services:
    """Built Google API services of one channel's connection, sharing one request counter."""

    by_name: dict
    calls: dict
    api_root: str | None  # the stand-in's base URL, None for Google's hosts
    project: str  # the OAuth client id: whose Data API quota the calls spend


@dataclass
class YouTubeClient:
    """One channel's authorised access to both APIs."""

    channel_id: str
    data: object
    analytics: object
    calls: dict = field(default_factory=dict)
    services: Services | None = None  # every service built (Reporting API included)

    def service(self, name: str):
        return self.services.by_name[name]

    def execute(self, request, what: str) -> dict:
        """Run one API request with the client's retries; classify what fails."""
        self.calls[what] = self.calls.get(what, 0) + 1
        try:
            return request.execute(num_retries=settings.CLIENT_RETRIES)
        except RefreshError as err:
            if "invalid_grant" in str(err):
                raise ReauthorisationNeeded(self.channel_id, _first_line(err)) from err
            raise YouTubeError(self.channel_id, "token_refresh", _first_line(err), True) from err
        except HttpError as err:
            reason = _reason(err)
            retryable = err.status_code >= 500 or err.status_code == 429 or (
                reason in ("rateLimitExceeded", "userRateLimitExceeded")
            )
            if reason in NOT_RETRYABLE_REASONS or err.status_code == 400:
                retryable = False
            raise YouTubeError(
                self.channel_id, reason or str(err.status_code),
                f"HTTP {err.status_code} on {what}: {err.reason}", retryable,
            ) from err
        except (TransportError, OSError, httplib2.HttpLib2Error) as err:
            raise YouTubeError(self.channel_id, "connection", _first_line(err), True) from err


def _first_line(err: Exception) -> str:
    return str(err).splitlines()[0] if str(err) else type(err).__name__


def _reason(err: HttpError) -> str | None:
    try:
        body = json.loads(err.content.decode("utf-8"))
        errors = body.get("error", {}).get("errors") or []
        return errors[0].get("reason") if errors else body.get("error", {}).get("status")
    except (ValueError, AttributeError):
        return None


def build_services(channel_id: str, conn_id: str | None, apis: tuple[tuple[str, str], ...],
                   extra_scopes: tuple[str, ...] = ()) -> Services:
    """Services `apis` ((name, version), ...) for `channel_id` from its Airflow connection
    (default `youtube_default`)."""
    from airflow.sdk import BaseHook

    conn = BaseHook.get_connection(conn_id or settings.YOUTUBE_CONN_ID)
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
        scopes=[*SCOPES, *extra_scopes],
    )
    counter: dict = {}
    options = {"api_endpoint": api_root} if api_root else None
    by_name = {
        name: build(name, version, http=CountingHttp(credentials, counter), model=DatedJsonModel(),
                    client_options=options, static_discovery=True, cache_discovery=False)
        for name, version in apis
    }
    return Services(by_name, counter, api_root, extra["client_id"])


DEFAULT_APIS = (("youtube", "v3"), ("youtubeAnalytics", "v2"))


def client_for(channel_id: str, conn_id: str | None = None,
               apis: tuple[tuple[str, str], ...] = DEFAULT_APIS,
               extra_scopes: tuple[str, ...] = ()) -> YouTubeClient:
    """A client for `channel_id` from its Airflow connection (default `youtube_default`)."""
    services = build_services(channel_id, conn_id, apis, extra_scopes)
    return YouTubeClient(channel_id, services.by_name.get("youtube"),
                         services.by_name.get("youtubeAnalytics"), services.calls, services)

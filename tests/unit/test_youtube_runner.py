"""The runner's failure policy, as it classifies what Google's client raises, and the
per-endpoint request counts (pure: no network, no database)."""

from __future__ import annotations

import json

import httplib2
import psycopg
import pytest
from google.auth.exceptions import RefreshError, TransportError
from googleapiclient.errors import HttpError

from ytempire.youtube.client import ReauthorisationNeeded, YouTubeError, endpoint
from ytempire.youtube.runner import channel_error

URI = "https://youtube.googleapis.com/youtube/v3/videos?part=statistics&id=a%2Cb"


def http_error(status: int, reason: str | None) -> HttpError:
    body = {"error": {"code": status, "message": "as YouTube says it",
                      "errors": [{"reason": reason}] if reason else []}}
    return HttpError(httplib2.Response({"status": status}), json.dumps(body).encode(), uri=URI)


@pytest.mark.parametrize(("status", "reason", "retryable"), [
    (403, "quotaExceeded", False),
    (403, "dailyLimitExceeded", False),
    (403, "forbidden", False),
    (403, "insufficientPermissions", False),
    (400, "badRequest", False),
    (400, None, False),
    (403, "rateLimitExceeded", True),
    (403, "userRateLimitExceeded", True),
    (429, None, True),
    (500, "backendError", True),
    (503, None, True),
])
def test_http_errors_become_the_channels_failure_with_their_reason(status, reason, retryable):
    error = channel_error("UC1", http_error(status, reason))
    assert isinstance(error, YouTubeError) and error.channel_id == "UC1"
    assert error.reason == (reason or str(status))
    assert error.retryable is retryable
    assert f"HTTP {status} on videos.list" in str(error)


def test_a_dead_refresh_token_needs_re_authorisation_other_token_errors_retry():
    dead = channel_error("UC1", RefreshError("invalid_grant: Token has been expired or revoked."))
    assert isinstance(dead, ReauthorisationNeeded) and not dead.retryable
    assert "re-authorise channel UC1" in str(dead)
    flaky = channel_error("UC1", RefreshError("temporarily_unavailable"))
    assert type(flaky) is YouTubeError and flaky.reason == "token_refresh" and flaky.retryable


@pytest.mark.parametrize("err", [TransportError("reset"), OSError("timed out"),
                                 httplib2.ServerNotFoundError("no such host")])
def test_connection_errors_are_retryable(err):
    error = channel_error("UC1", err)
    assert (error.reason, error.retryable) == ("connection", True)


def test_a_failure_the_runner_raised_itself_stays_as_it_is():
    own = YouTubeError("UC1", "channelNotFound", "gone", retryable=False)
    assert channel_error("UC1", own) is own


@pytest.mark.parametrize("err", [psycopg.OperationalError("server closed the connection"),
                                 RuntimeError("rows do not balance"), KeyError("x")])
def test_anything_else_is_not_a_channels_failure(err):
    """A warehouse or program error fails the task (and so every channel), not one channel."""
    assert channel_error("UC1", err) is None


@pytest.mark.parametrize(("method", "uri", "headers", "expected"), [
    ("GET", URI, None, "videos.list"),
    ("GET", "http://127.0.0.1:9/youtube/v3/playlistItems?maxResults=50", {}, "playlistItems.list"),
    ("GET", "https://youtubeanalytics.googleapis.com/v2/reports?ids=channel%3D%3DUC1", None,
     "reports.query"),
    # long URLs go as POST with the method in a header (Google's client)
    ("POST", "https://youtubeanalytics.googleapis.com/v2/reports",
     {"x-http-method-override": "GET"}, "reports.query"),
    ("PUT", "https://youtube.googleapis.com/youtube/v3/videos?part=snippet", {}, "videos.update"),
    ("POST", "https://youtube.googleapis.com/upload/youtube/v3/thumbnails/set?videoId=v1", {},
     "thumbnails.set"),
    # the Reporting API costs no Data API quota: its names say so
    ("GET", "https://youtubereporting.googleapis.com/v1/jobs?alt=json", None,
     "reporting.jobs.list"),
    ("POST", "https://youtubereporting.googleapis.com/v1/jobs?alt=json", {},
     "reporting.jobs.create"),
    ("GET", "https://youtubereporting.googleapis.com/v1/jobs/j1/reports?alt=json", None,
     "reporting.reports.list"),
    ("GET", "https://youtubereporting.googleapis.com/v1/media/CHANNEL/r1?alt=media", None,
     "reporting.media.download"),
])
def test_requests_are_counted_by_the_method_youtube_charges(method, uri, headers, expected):
    assert endpoint(method, uri, headers) == expected

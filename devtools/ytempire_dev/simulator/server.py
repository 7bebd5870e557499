"""HTTP front of the simulator: OAuth token endpoint, Data API v3, Analytics v2, /_sim admin."""

from __future__ import annotations

import email.utils
import itertools
import json
import logging
import threading
import time
from collections import Counter, deque
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import dataapi, reports
from .edits import original_image
from .errors import ApiError, forbidden, quota_exceeded, transient, unauthenticated
from .faults import Faults, FaultState, corrupt_rows
from .reporting import Reporting
from .world import World, iso_z, utc

log = logging.getLogger(__name__)

SCOPES = (
    "https://www.googleapis.com/auth/youtube.readonly",
    "https://www.googleapis.com/auth/yt-analytics.readonly",
    "https://www.googleapis.com/auth/yt-analytics-monetary.readonly",
)
# the paths googleapiclient requests under client_options={"api_endpoint": ROOT}
ROUTES = {
    "/youtube/v3/channels": "channels",
    "/youtube/v3/playlistItems": "playlistItems",
    "/youtube/v3/videos": "videos",
    "/youtube/v3/videoCategories": "videoCategories",
    "/v2/reports": "reports",
}
DATA_API = {
    "channels": dataapi.channels_list,
    "playlistItems": dataapi.playlist_items_list,
    "videos": dataapi.videos_list,
    "videoCategories": dataapi.video_categories_list,
}
WRITES = {("PUT", "/youtube/v3/videos"): "videos.update",
          ("POST", "/upload/youtube/v3/thumbnails/set"): "thumbnails.set"}
WRITE_SCOPES = {"https://www.googleapis.com/auth/youtube",
                "https://www.googleapis.com/auth/youtube.force-ssl"}


@dataclass(frozen=True)
class Raw:
    """A non-JSON answer (CSV media, images)."""

    content_type: str
    data: bytes


def endpoint_of(method: str, path: str) -> str | None:
    """The API method a request is for (None: not an API path)."""
    if (method, path) in WRITES:
        return WRITES[(method, path)]
    if path == "/v1/reportTypes":
        return "reporting.reportTypes"
    if path == "/v1/jobs":
        return "reporting.jobs"
    if path.startswith("/v1/jobs/") and path.endswith("/reports"):
        return "reporting.reports"
    if path.startswith("/v1/media/"):
        return "reporting.media"
    return ROUTES.get(path)


@dataclass(frozen=True)
class Grant:
    channel_id: str
    scopes: frozenset[str] | None  # None: no scope requested, everything granted


def _json_default(obj):
    if isinstance(obj, Decimal):
        # float repr is the shortest round-trip form, so 2.675 is written "2.675"
        return float(obj)
    if isinstance(obj, (date, datetime)):
        return obj.isoformat()
    if isinstance(obj, (set, frozenset)):
        return sorted(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def dumps(payload) -> bytes:
    return json.dumps(payload, default=_json_default, ensure_ascii=False).encode("utf-8")


class Simulator:
    """The server around a World; `with Simulator(world) as sim:` or run_simulator()."""

    def __init__(
        self, world: World, host: str = "127.0.0.1", port: int = 0, faults: Faults | None = None
    ):
        self.world = world
        self._state = FaultState()
        if faults is not None:
            self._state.configure(faults)
        self._lock = threading.Lock()
        self._calls: Counter[str] = Counter()
        self.call_log: deque[dict] = deque(maxlen=10_000)
        self._grants: dict[str, Grant] = {}
        self._token_ids = itertools.count(1)
        self._httpd = ThreadingHTTPServer((host, port), _Handler)
        self._httpd.sim = self
        self.reporting = Reporting(world)
        world.media_root = self.url
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def token_uri(self) -> str:
        return self.url + "/token"

    def start(self) -> Simulator:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), name="youtube-simulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- test controls --------------------------------------------------------

    def set_clock(self, at: datetime | str) -> None:
        self.world.set_clock(datetime.fromisoformat(at) if isinstance(at, str) else at)

    def advance(self, delta: timedelta) -> datetime:
        return self.world.advance(delta)

    @property
    def faults(self) -> Faults:
        return self._state.faults

    def configure_faults(self, faults: Faults | None = None, **changes) -> Faults:
        """Replace the fault config (`faults`), then apply field `changes` on top."""
        with self._lock:
            new = (faults or self._state.faults).updated(**changes)
            self._state.configure(new)
            return new

    def clear_faults(self) -> None:
        self.configure_faults(Faults())

    @property
    def calls(self) -> dict[str, int]:
        with self._lock:
            return dict(self._calls)

    @property
    def quota_used(self) -> int:
        """Data API units spent (1 per list call) since the last reset_calls()."""
        return self._state.quota_used

    def reset_calls(self) -> None:
        with self._lock:
            self._calls.clear()
            self.call_log.clear()
            self._state.quota_used = self._state.quota_mark = 0

    def expire_access_tokens(self) -> None:
        """Forget issued access tokens: the next API call answers 401 and the client refreshes."""
        with self._lock:
            self._grants.clear()

    def credentials(self, channel_id: str, scopes=SCOPES):
        """google.oauth2 Credentials for a channel, as a loader would build them."""
        from google.oauth2.credentials import Credentials

        return Credentials(
            token=None,
            refresh_token=self.world.channel(channel_id).refresh_token,
            client_id="sim-client-id",
            client_secret="sim-client-secret",
            token_uri=self.token_uri,
            scopes=list(scopes) if scopes else None,
        )

    # -- request handling -----------------------------------------------------

    def handle(
        self, method: str, path: str, params: dict[str, str], body: bytes, headers
    ) -> tuple[int, dict]:
        if path == "/token":
            return self._token(method, body)
        if path.startswith("/_sim/"):
            try:
                return self._admin(method, path, body)
            except (ValueError, KeyError, TypeError) as e:
                raise ApiError(400, "badRequest", f"bad simulator control request: {e}") from e
        if path.startswith("/vi/") and method == "GET":
            return 200, self._image(path)
        endpoint = endpoint_of(method, path)
        if endpoint is None:
            raise ApiError(404, "notFound", f"Not Found: {path}")
        self._count(endpoint)
        self._delay()
        grant = self._authorize(headers.get("Authorization", ""))
        with self._lock:
            code = self._state.transient_error(endpoint)
            over = code is None and self._state.over_quota(endpoint)
        if code:
            raise transient(code)
        if over:
            raise quota_exceeded()
        if endpoint in WRITES.values():
            return 200, self._write(endpoint, params, body, headers, grant)
        if endpoint.startswith("reporting."):
            return 200, self._reporting(endpoint, method, path, params, body, grant)
        if method != "GET":
            raise ApiError(405, "methodNotAllowed", f"Method {method} not allowed on {path}")
        if endpoint == "reports":
            return 200, self._report(params, grant)
        return 200, DATA_API[endpoint](self.world, params, grant.channel_id)

    def _report(self, params: dict[str, str], grant: Grant) -> dict:
        query = reports.parse_query(self.world, params, grant.channel_id, grant.scopes)
        table = reports.run_query(self.world, query)
        if "rows" in table:
            last = min(query.end, self.world.last_ready_day())
            table["rows"] = corrupt_rows(
                self._state.faults,
                table["columnHeaders"],
                table["rows"],
                query.start,
                last,
                query.filter_ids,
            )
        return table

    def _write(self, endpoint: str, params: dict[str, str], body: bytes, headers,
               grant: Grant) -> dict:
        if grant.scopes is not None and not grant.scopes & WRITE_SCOPES:
            raise ApiError(403, "insufficientPermissions",
                           "Request had insufficient authentication scopes.")
        if endpoint == "videos.update":
            answer = dataapi.videos_update(self.world, params, json.loads(body or b"{}"),
                                           grant.channel_id)
        else:
            answer = dataapi.thumbnails_set(self.world, params, body,
                                            headers.get("Content-Type", ""), grant.channel_id)
        if self._state.faults.hang_after_write_seconds:
            time.sleep(self._state.faults.hang_after_write_seconds)
        return answer

    def _reporting(self, endpoint: str, method: str, path: str, params: dict[str, str],
                   body: bytes, grant: Grant):
        if grant.scopes is not None and not grant.scopes & {SCOPES[1], SCOPES[2]}:
            raise forbidden("The caller does not have permission")
        rep, channel = self.reporting, grant.channel_id
        if endpoint == "reporting.reportTypes":
            return rep.report_types()
        if endpoint == "reporting.jobs":
            return (rep.create_job(channel, json.loads(body or b"{}")) if method == "POST"
                    else rep.list_jobs(channel))
        if endpoint == "reporting.reports":
            return rep.list_reports(channel, path.split("/")[3], params, self.url)
        if params.get("alt") != "media":
            raise ApiError(400, "badRequest", "Only alt=media downloads are served.")
        return Raw("application/octet-stream", rep.media(
            path.removeprefix("/v1/media/"), channel, self._state.faults))

    def _image(self, path: str) -> Raw:
        """Thumbnails at world.media_root: /vi/<video>[/<digest prefix>]/<size>.jpg"""
        parts = path.split("/")
        if len(parts) == 4 and self.world.has_video(parts[2]):
            return Raw("image/jpeg", original_image(parts[2]))
        found = [img for digest, img in self.world.edits.images.items()
                 if len(parts) == 5 and digest.startswith(parts[3])]
        if not found:
            raise ApiError(404, "notFound", f"Not Found: {path}")
        return Raw("image/jpeg", found[0])

    def _count(self, endpoint: str) -> None:
        with self._lock:
            self._calls[endpoint] += 1

    def _delay(self) -> None:
        if self._state.faults.delay_ms:
            time.sleep(self._state.faults.delay_ms / 1000)

    def _authorize(self, header: str) -> Grant:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise unauthenticated(missing=True)
        grant = self._grants.get(token.strip())
        if grant is None or grant.channel_id in self._state.faults.invalid_grant:
            raise unauthenticated(missing=False)
        return grant

    def _token(self, method: str, body: bytes) -> tuple[int, dict]:
        self._count("token")
        self._delay()
        if method != "POST":
            return 405, {"error": "invalid_request", "error_description": "POST required"}
        with self._lock:
            code = self._state.transient_error("token")
        if code:
            return code, {"error": "temporarily_unavailable", "error_description": "Try again."}
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8")).items()}
        if form.get("grant_type") != "refresh_token":
            return 400, {
                "error": "unsupported_grant_type",
                "error_description": "Invalid grant_type: " + form.get("grant_type", ""),
            }
        if not form.get("client_id") or not form.get("client_secret"):
            return 401, {"error": "invalid_client", "error_description": "Unauthorized"}
        channel = self.world.channel_by_refresh_token(form.get("refresh_token", ""))
        if channel is None or channel.id in self._state.faults.invalid_grant:
            return 400, {
                "error": "invalid_grant",
                "error_description": "Token has been expired or revoked.",
            }
        requested = form.get("scope")
        scopes = frozenset(requested.split()) if requested else None
        token = f"ya29.sim-{channel.index}-{next(self._token_ids)}"
        with self._lock:
            self._grants[token] = Grant(channel.id, scopes)
        return 200, {
            "access_token": token,
            "expires_in": 3600,
            "token_type": "Bearer",
            "scope": " ".join(sorted(scopes) if scopes else SCOPES),
        }

    def _admin(self, method: str, path: str, body: bytes) -> tuple[int, dict]:
        data = json.loads(body or b"{}") if method == "POST" else {}
        if path == "/_sim/clock":
            if method == "POST":
                if "clock" in data:
                    self.set_clock(data["clock"])
                if "advance_hours" in data:
                    self.advance(timedelta(hours=data["advance_hours"]))
            return 200, {
                "clock": iso_z(self.world.clock),
                "last_ready_day": self.world.last_ready_day().isoformat(),
            }
        if path == "/_sim/faults":
            if method == "POST":
                base = Faults() if data.pop("reset", False) else None
                self.configure_faults(base, **data)
            return 200, asdict(self.faults)
        if path == "/_sim/calls":
            return 200, {"calls": self.calls, "quota_used": self.quota_used}
        if path == "/_sim/calls/reset" and method == "POST":
            self.reset_calls()
            return 200, {"calls": {}}
        if path == "/_sim/world":
            return 200, describe(self.world)
        raise ApiError(404, "notFound", f"Not Found: {path}")

    def _record(self, path: str, sent_as: str, method: str, status: int) -> None:
        """sent_as is the HTTP method on the wire; method is after X-HTTP-Method-Override."""
        with self._lock:
            self.call_log.append(
                {"path": path, "sent_as": sent_as, "method": method, "status": status}
            )


def describe(world: World) -> dict:
    """Channels (with their refresh tokens), videos and corrections, for other processes."""
    return {
        "seed": world.seed,
        "start": iso_z(world.start),
        "clock": iso_z(world.clock),
        "last_ready_day": world.last_ready_day().isoformat(),
        "channels": [
            {
                "id": c.id,
                "title": c.title,
                "handle": c.handle,
                "monetized": c.monetized,
                "niche": c.niche,
                "refresh_token": c.refresh_token,
                "uploads_playlist_id": c.uploads_playlist_id,
            }
            for c in world.channels
        ],
        "videos": [
            {
                "id": v.id,
                "channel_id": v.channel_id,
                "title": v.title,
                "published_at": iso_z(v.published_at),
                "removed_at": iso_z(v.removed_at) if v.removed_at else None,
                "removal": v.removal,
                "comments_disabled": v.comments_disabled,
                "likes_hidden_from": iso_z(v.likes_hidden_from) if v.likes_hidden_from else None,
                "likes_hidden_until": iso_z(v.likes_hidden_until) if v.likes_hidden_until else None,
            }
            for v in world.videos
        ],
        "corrections": [{"video_id": c.video_id, "at": iso_z(c.at)} for c in world.corrections],
    }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ESF"
    timeout = 60  # idle keep-alive connections go away eventually
    # one buffered write per answer and no Nagle: else keep-alive stalls ~40 ms on delayed ACKs
    wbufsize = -1
    disable_nagle_algorithm = True

    def do_GET(self):
        self._serve("GET")

    def do_POST(self):
        self._serve("POST")

    def do_PUT(self):
        self._serve("PUT")

    def date_time_string(self, timestamp=None):
        """The Date header tells the simulated clock: the instant a write took effect."""
        return email.utils.formatdate(self.server.sim.world.clock.timestamp(), usegmt=True)

    def _serve(self, method: str) -> None:
        sim: Simulator = self.server.sim
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        params = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        sent_as = method
        if method == "POST" and self.headers.get("X-HTTP-Method-Override", "").upper() == "GET":
            # googleapiclient's long-URL form: the query string travels as the body
            method = "GET"
            form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
            params.update({k: v[0] for k, v in form.items()})
            body = b""
        try:
            status, payload = sim.handle(method, url.path, params, body, self.headers)
        except ApiError as e:
            status, payload = e.code, e.body()
        except Exception as e:  # a simulator bug must still answer like Google would
            log.exception("simulator error on %s %s", method, self.path)
            status, payload = 500, ApiError(500, "internalError", str(e)).body()
        sim._record(url.path, sent_as, method, status)
        if isinstance(payload, Raw):
            data, content_type = payload.data, payload.content_type
        else:
            data, content_type = dumps(payload), "application/json; charset=UTF-8"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        log.debug("%s " + fmt, self.address_string(), *args)


@contextmanager
def run_simulator(
    seed: int = 7,
    channels: int = 3,
    videos_per_channel: int = 5,
    clock: datetime | str | None = None,
    ready_lag_days: float = 2,
    faults: Faults | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    world: World | None = None,
):
    """Start a simulator in a background thread; `clock` also anchors the world's data."""
    if isinstance(clock, str):
        clock = datetime.fromisoformat(clock)
    if world is None:
        world = World(
            seed,
            channels,
            videos_per_channel,
            start=utc(clock) if clock else None,
            ready_lag=timedelta(days=ready_lag_days),
        )
    with Simulator(world, host, port, faults) as sim:
        yield sim

"""Local stand-in for a Slack incoming webhook.

An HTTP server (standard library only) that accepts webhook posts the way Slack does,
keeps every message as one JSON line for tests and for a person to read, and answers
with Slack's status codes and bodies:

* ``200 ok`` for an accepted message;
* ``400 invalid_payload`` when the body is not a JSON object (raw JSON, or the
  ``payload=<json>`` field of an ``application/x-www-form-urlencoded`` body);
* ``400 invalid_blocks`` when ``blocks`` breaks a Block Kit limit: more than 50 blocks, a
  block without a ``type``, a section text over 3,000 characters (or empty), more than 10
  section fields or a field over 2,000 characters, a header text over 150 characters, a
  context block with more than 10 elements, a text object whose type is neither
  ``plain_text`` nor ``mrkdwn``;
* ``400 no_text`` when the message has neither a non-blank ``text``, nor non-empty
  ``blocks``, nor non-empty ``attachments`` (Slack accepts attachment-only messages);
  the JSON ``null`` that ``slack_sdk`` sends for an empty ``send()`` counts as empty.

Accepted messages go to ``out`` as ``{"received_at", "path", "message"}`` lines. Rejected
posts (and injected failures) go to a second file beside it, ``<out stem>.rejected.jsonl``,
as ``{"received_at", "path", "status", "error", "detail", "message", "body"}``.

Python::

    with run_receiver(tmp_path / "slack.jsonl") as slack:
        monkeypatch.setenv("AIRFLOW_CONN_SLACK_ALERTS", slack.connection_json())
        ...
        assert slack.messages()[-1]["text"].startswith(":red_circle:")

Command line (serves until SIGTERM or Ctrl-C)::

    python -m ytempire_dev.slack_receiver --port 0 --out .run/slack.jsonl
    SLACK_RECEIVER http://127.0.0.1:41234/services/T000/B000/XXXX
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

__all__ = [
    "DEFAULT_WEBHOOK_PATH",
    "Rejection",
    "SlackReceiver",
    "main",
    "rejected_path_for",
    "run_receiver",
    "validate_message",
]

DEFAULT_WEBHOOK_PATH = "/services/T000/B000/XXXX"
READY_PREFIX = "SLACK_RECEIVER"

# Block Kit limits (https://api.slack.com/reference/block-kit/blocks).
MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_SECTION_FIELDS = 10
MAX_SECTION_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10
TEXT_OBJECT_TYPES = frozenset({"plain_text", "mrkdwn"})

# Not a Slack limit: a guard so a runaway test cannot fill the disk.
MAX_BODY_BYTES = 5 * 1024 * 1024


class Rejection(Exception):
    """A post Slack would refuse: ``error`` is the response body, ``detail`` is for people."""

    def __init__(self, error: str, detail: str, status: int = 400):
        super().__init__(f"{error}: {detail}")
        self.error = error
        self.detail = detail
        self.status = status


def _check_text_object(obj: Any, where: str, limit: int, *, plain_only: bool = False) -> None:
    if not isinstance(obj, dict):
        raise Rejection("invalid_blocks", f"{where} must be a text object")
    kind = obj.get("type")
    allowed = {"plain_text"} if plain_only else TEXT_OBJECT_TYPES
    if kind not in allowed:
        raise Rejection(
            "invalid_blocks", f"{where} has type {kind!r}, expected one of {sorted(allowed)}"
        )
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        raise Rejection("invalid_blocks", f"{where} needs a non-empty 'text' string")
    if len(text) > limit:
        raise Rejection("invalid_blocks", f"{where} has {len(text)} characters, limit {limit}")


def _check_blocks(blocks: Any) -> None:
    if not isinstance(blocks, list):
        raise Rejection("invalid_blocks", "'blocks' must be a list")
    if len(blocks) > MAX_BLOCKS:
        raise Rejection("invalid_blocks", f"{len(blocks)} blocks, limit {MAX_BLOCKS}")
    for i, block in enumerate(blocks):
        if not isinstance(block, dict) or not isinstance(block.get("type"), str):
            raise Rejection("invalid_blocks", f"block {i} must be an object with a 'type'")
        kind = block["type"]
        where = f"block {i} ({kind})"
        if kind == "section":
            text, fields = block.get("text"), block.get("fields")
            if text is None and not fields:
                raise Rejection("invalid_blocks", f"{where} needs 'text' or 'fields'")
            if text is not None:
                _check_text_object(text, f"{where} text", MAX_SECTION_TEXT)
            if fields is not None:
                if not isinstance(fields, list) or len(fields) > MAX_SECTION_FIELDS:
                    raise Rejection(
                        "invalid_blocks",
                        f"{where} 'fields' must be a list of at most {MAX_SECTION_FIELDS}",
                    )
                for j, field in enumerate(fields):
                    _check_text_object(field, f"{where} field {j}", MAX_SECTION_FIELD_TEXT)
        elif kind == "header":
            _check_text_object(block.get("text"), f"{where} text", MAX_HEADER_TEXT, plain_only=True)
        elif kind == "context":
            elements = block.get("elements")
            if not isinstance(elements, list) or not 1 <= len(elements) <= MAX_CONTEXT_ELEMENTS:
                raise Rejection(
                    "invalid_blocks", f"{where} needs 1 to {MAX_CONTEXT_ELEMENTS} 'elements'"
                )


def validate_message(message: Any) -> None:
    """Raise :class:`Rejection` with Slack's error code if Slack would refuse ``message``.

    Usable without the server, e.g. to check an alert's payload in a unit test.
    """
    if message is None:
        # slack_sdk sends the JSON ``null`` for an empty message (``hook.send()``).
        raise Rejection("no_text", "the message is empty (JSON null)")
    if not isinstance(message, dict):
        raise Rejection(
            "invalid_payload", f"payload must be a JSON object, got {type(message).__name__}"
        )
    text = message.get("text")
    if text is not None and not isinstance(text, str):
        raise Rejection("invalid_payload", f"'text' must be a string, got {type(text).__name__}")
    blocks = message.get("blocks")
    if blocks is not None:
        _check_blocks(blocks)
    attachments = message.get("attachments")
    if attachments is not None and not isinstance(attachments, list):
        raise Rejection("invalid_payload", "'attachments' must be a list")
    if not (text and text.strip()) and not blocks and not attachments:
        raise Rejection("no_text", "the message has no text, blocks or attachments")


def _parse_body(raw: bytes, content_type: str) -> Any:
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise Rejection("invalid_payload", f"body is not UTF-8: {err}") from None
    if content_type == "application/x-www-form-urlencoded":
        form = parse_qs(body, keep_blank_values=True)
        if "payload" in form:
            body = form["payload"][0]
        # else: like Slack, fall back to reading the raw body as JSON (curl -d '{...}').
    if not body.strip():
        raise Rejection("invalid_payload", "empty body")
    try:
        return json.loads(body)
    except json.JSONDecodeError as err:
        raise Rejection("invalid_payload", f"not JSON: {err}") from None


def rejected_path_for(out: str | Path) -> Path:
    """``slack.jsonl`` -> ``slack.rejected.jsonl`` (same directory)."""
    out = Path(out)
    return out.with_name(f"{out.stem if out.suffix else out.name}.rejected.jsonl")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "ytempire-slack-receiver/1"

    def do_POST(self) -> None:  # noqa: N802 (http.server naming)
        receiver = self.server.receiver
        injected = receiver._take_injected()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY_BYTES:
            self._answer(413 if length > 0 else 400, "invalid_payload")
            self.close_connection = True
            return
        raw = self.rfile.read(length) if length else b""
        message: Any = None
        rejection: Rejection | None = None
        try:
            message = _parse_body(raw, self.headers.get_content_type())
        except Rejection as rej:
            rejection = rej
        if injected is not None:
            status, error, headers = injected
            receiver._record_rejected(self.path, status, error, "injected failure", message, raw)
            self._answer(status, error, headers)
            return
        if rejection is None:
            try:
                validate_message(message)
            except Rejection as rej:
                rejection = rej
        if rejection is not None:
            receiver._record_rejected(
                self.path, rejection.status, rejection.error, rejection.detail, message, raw
            )
            self._answer(rejection.status, rejection.error)
            return
        receiver._record_accepted(self.path, message)
        self._answer(200, "ok")

    def do_GET(self) -> None:  # noqa: N802
        # Slack answers GETs on a webhook URL with an error too; only POST posts.
        self._answer(405, "invalid_method", {"Allow": "POST"})

    def _answer(self, status: int, body: str, headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        if self.server.receiver.verbose:
            super().log_message(format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    receiver: SlackReceiver


class SlackReceiver:
    """A running receiver; use :func:`run_receiver` to get one."""

    def __init__(
        self,
        out: str | Path,
        host: str = "127.0.0.1",
        port: int = 0,
        webhook_path: str = DEFAULT_WEBHOOK_PATH,
        verbose: bool = False,
    ):
        self.out = Path(out)
        self.rejected_path = rejected_path_for(self.out)
        self.webhook_path = "/" + webhook_path.lstrip("/")
        self.verbose = verbose
        self._lock = threading.Lock()
        self._injected: deque[tuple[int, str, dict[str, str]]] = deque()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.out.touch()
        self._server = _Server((host, port), _Handler)
        self._server.receiver = self
        self.host, self.port = self._server.server_address[:2]
        self._thread: threading.Thread | None = None

    # ---- addresses -------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host  # noqa: S104
        return f"http://{host}:{self.port}"

    @property
    def url(self) -> str:
        """The webhook URL: put it in the ``slackwebhook`` connection's password."""
        return self.base_url + self.webhook_path

    def connection_json(self) -> str:
        """Value for ``AIRFLOW_CONN_SLACK_ALERTS`` (JSON form) pointing at this receiver."""
        return json.dumps({"conn_type": "slackwebhook", "password": self.url})

    # ---- what was received -----------------------------------------------------------------
    def records(self) -> list[dict[str, Any]]:
        """Every accepted post in the file: ``{"received_at", "path", "message"}``."""
        with self._lock:
            return _read_jsonl(self.out)

    def messages(self) -> list[dict[str, Any]]:
        """Every accepted message body, oldest first."""
        return [record["message"] for record in self.records()]

    def rejected(self) -> list[dict[str, Any]]:
        """Every refused post: ``{"received_at", "path", "status", "error", "detail", ...}``."""
        with self._lock:
            return _read_jsonl(self.rejected_path)

    def wait_for_messages(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Wait until at least ``count`` messages were accepted (posts from another process)."""
        deadline = time.monotonic() + timeout
        while True:
            messages = self.messages()
            if len(messages) >= count or time.monotonic() >= deadline:
                return messages
            time.sleep(0.05)

    # ---- fault injection -------------------------------------------------------------------
    def fail_next(
        self,
        status: int = 500,
        error: str = "rollup_error",
        *,
        times: int = 1,
        retry_after: int | None = None,
    ) -> None:
        """Answer the next ``times`` posts with ``status``/``error`` (e.g. 429 with Retry-After)."""
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        with self._lock:
            self._injected.extend([(status, error, headers)] * times)

    def _take_injected(self) -> tuple[int, str, dict[str, str]] | None:
        with self._lock:
            return self._injected.popleft() if self._injected else None

    # ---- recording -------------------------------------------------------------------------
    def _append(self, path: Path, record: dict[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n"
        with self._lock, path.open("a", encoding="utf-8") as fh:
            fh.write(line)
            fh.flush()

    def _record_accepted(self, path: str, message: dict[str, Any]) -> None:
        self._append(self.out, {"received_at": _now(), "path": path, "message": message})
        if self.verbose:
            summary = (message.get("text") or "").splitlines()[:1]
            print(
                f"accepted {path}: {summary[0][:120] if summary else '(blocks)'}",
                file=sys.stderr,
                flush=True,
            )

    def _record_rejected(
        self, path: str, status: int, error: str, detail: str, message: Any, raw: bytes
    ) -> None:
        record = {
            "received_at": _now(),
            "path": path,
            "status": status,
            "error": error,
            "detail": detail,
            "message": message,
            "body": None if message is not None else raw.decode("utf-8", errors="replace"),
        }
        self._append(self.rejected_path, record)
        if self.verbose:
            print(f"rejected {path}: {status} {error} ({detail})", file=sys.stderr, flush=True)

    # ---- lifecycle -------------------------------------------------------------------------
    def start(self) -> SlackReceiver:
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"slack-receiver-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


@contextmanager
def run_receiver(
    path_to_jsonl: str | Path,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    webhook_path: str = DEFAULT_WEBHOOK_PATH,
    verbose: bool = False,
) -> Iterator[SlackReceiver]:
    """Serve a Slack webhook stand-in for the duration of the ``with`` block.

    ``port=0`` picks a free port; the file is appended to, never truncated.
    """
    receiver = SlackReceiver(path_to_jsonl, host, port, webhook_path, verbose).start()
    try:
        yield receiver
    finally:
        receiver.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ytempire_dev.slack_receiver",
        description="Local stand-in for a Slack incoming webhook (serves until SIGTERM).",
    )
    parser.add_argument("--out", required=True, help="JSON-lines file of accepted messages")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--path", default=DEFAULT_WEBHOOK_PATH, help="path shown in the URL")
    parser.add_argument("--quiet", action="store_true", help="no per-message log on stderr")
    args = parser.parse_args(argv)

    stop = threading.Event()

    def _stop(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    with run_receiver(
        args.out, args.host, args.port, webhook_path=args.path, verbose=not args.quiet
    ) as receiver:
        print(f"{READY_PREFIX} {receiver.url}", flush=True)
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())

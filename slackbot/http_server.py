"""Serving the app in HTTP mode, under waitress.

HTTP mode answers `POST /slack/events` (commands, events and interactivity all arrive there),
`GET /healthz` for the host's health checks and `GET /metrics` for the work queues' counters
(Prometheus text format: done, failed, retried, shed per lane, queued per lane). Every
request's signature and timestamp are checked on the raw body before anything parses it (Bolt
would parse the body, and read the timestamp as a number, first: a malformed request then gets
a 500 instead of a 401); a signed body that is not what Slack sends gets a 400. Bolt checks the
signature again.
"""

from __future__ import annotations

import hmac
import io
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, cast
from urllib.parse import parse_qs

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier
from waitress.server import create_server

from slackbot.listeners.payload import Malformed
from slackbot.request_shape import payload_problem

log = logging.getLogger("slackbot.http_server")

EVENTS_PATH = "/slack/events"
MAX_BODY = 1 << 20  # Slack's payloads are far smaller; a view state is capped well below this
SIGNATURE_WINDOW = 5 * 60  # seconds a signed request stays acceptable (Slack's rule)
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _answer(start_response: Callable[..., Any], status: str, text: str) -> list[bytes]:
    start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
    return [text.encode()]


def signature_problem(
    verifier: SignatureVerifier, headers: dict[str, str], body: bytes, now: float
) -> str | None:
    """Why this request is not Slack's, or None if it is (checked on the raw body)."""
    timestamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    if not (timestamp.isascii() and timestamp.isdigit()) or not signature:
        return "unsigned"
    if abs(now - int(timestamp)) > SIGNATURE_WINDOW:
        return "stale"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "not_utf8"
    expected = verifier.generate_signature(timestamp=timestamp, body=text) or ""
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        return "bad_signature"
    return None


def body_problem(content_type: str, body: bytes) -> str | None:
    """Why a signed body is not one Slack sends (form-encoded command or payload, or JSON)."""
    return read_body(content_type, body)[1]


def read_body(content_type: str, body: bytes) -> tuple[dict[str, Any] | None, str | None]:
    """(the JSON body, if it is one; why it is not a body Slack sends, or None)."""
    text = body.decode("utf-8")
    if content_type == "application/json":
        try:
            data = json.loads(text)
        except ValueError:
            return None, "broken_json"
        problem = payload_problem(data)
        return (data if problem is None else None), problem
    if content_type != "application/x-www-form-urlencoded":
        return None, "unknown_content_type"
    form = parse_qs(text, keep_blank_values=True)
    if "payload" in form:
        try:
            payload = json.loads(form["payload"][-1])
        except ValueError:
            return None, "broken_payload_json"
        return None, payload_problem(payload)
    if "command" in form or "ssl_check" in form:
        return None, None
    return None, "unknown_form"


# Records an Events API callback without Bolt (listeners.events.acknowledge, bound to the
# runtime); False: not one it takes, Bolt answers it.
EventAcker = Callable[[dict[str, Any]], bool]


Metrics = Callable[[], dict[str, int]]


def metrics_text(figures: dict[str, int]) -> str:
    lines = []
    for name, value in sorted(figures.items()):
        kind, _, lane = name.partition(":")
        label = f'{{lane="{lane}"}}' if lane else ""
        lines.append(f"slackbot_work_{kind}{label} {value}")
    return "\n".join(lines) + "\n"


def wsgi_app(
    app: App,
    signing_secret: str,
    *,
    events: EventAcker | None = None,
    metrics: Metrics | None = None,
) -> WSGIApp:
    if not signing_secret:
        raise ValueError("HTTP mode needs the signing secret: every request is checked")
    bolt = SlackRequestHandler(app, path=EVENTS_PATH)
    verifier = SignatureVerifier(signing_secret)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO")
        if path == "/healthz":
            return _answer(start_response, "200 OK", "ok")
        if path == "/metrics" and metrics is not None:
            return _answer(start_response, "200 OK", metrics_text(metrics()))
        if path != EVENTS_PATH:
            return _answer(start_response, "404 Not Found", "not found")
        if environ.get("REQUEST_METHOD") != "POST":
            return _answer(start_response, "405 Method Not Allowed", "POST only")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            log.info("request_refused reason=body_length length=%s", length)
            return _answer(start_response, "413 Content Too Large", "body too large")
        body = environ["wsgi.input"].read(length) if length else b""
        headers = {
            key[5:].replace("_", "-").lower(): str(value)
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        problem = signature_problem(verifier, headers, body, time.time())
        if problem is not None:
            log.info("request_refused reason=%s length=%s", problem, length)
            return _answer(start_response, "401 Unauthorized", "invalid signature")
        content_type = str(environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
        try:
            parsed, problem = read_body(content_type, body)
        except UnicodeDecodeError:
            parsed, problem = None, "not_utf8"
        if problem is not None:
            log.info("request_refused reason=%s length=%s", problem, length)
            return _answer(start_response, "400 Bad Request", "not a Slack request")
        if events is not None and parsed is not None and parsed.get("type") == "event_callback":
            try:
                if events(parsed):
                    start_response("200 OK", [("Content-Length", "0")])
                    return [b""]
            except Malformed as exc:
                log.info("request_malformed type=event_callback problem=%s", exc)
                return _answer(start_response, "400 Bad Request", "not a Slack request")
            except Exception:  # not recorded: Slack sends the event again
                log.exception("event_not_recorded")
                return _answer(start_response, "500 Internal Server Error", "try again")
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        try:
            return bolt(environ, start_response)
        except Exception:
            # Bolt failed to read a signed request before any listener ran (listener and
            # middleware failures are answered by the app's error handler): Slack's shapes
            # are checked above, so this is a shape we did not foresee. Say so, keep serving.
            log.exception("request_unreadable length=%s", length)
            return _answer(start_response, "400 Bad Request", "not a Slack request")

    return application


class HttpServer:
    """waitress serving the app in a background thread (tests, the demo) or the foreground."""

    def __init__(
        self,
        app: App,
        host: str = "127.0.0.1",
        port: int = 0,
        threads: int = 8,
        *,
        signing_secret: str,
        events: EventAcker | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        # One host and port give a single TcpWSGIServer; the union type does not say so.
        self._server = cast(
            Any,
            create_server(
                wsgi_app(app, signing_secret, events=events, metrics=metrics),
                host=host,
                port=port,
                threads=threads,
                ident="community-week",
            ),
        )
        self.host = host
        self.port = int(self._server.effective_port)
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{host}:{self.port}{EVENTS_PATH}"

    def start(self) -> HttpServer:
        self._thread = threading.Thread(target=self._serve_until_stopped, name="http", daemon=True)
        self._thread.start()
        return self

    def _serve_until_stopped(self) -> None:
        # waitress's run() loops until its sockets are closed; closing them from another thread
        # while it sits in select() fails with EBADF. So the serving thread checks a flag between
        # short polls, and closes the server itself.
        server = self._server
        while not self._stopping.is_set():
            server.asyncore.loop(timeout=0.1, map=server._map, count=1)
        server.task_dispatcher.shutdown()
        server.asyncore.close_all(server._map)  # the listener and any kept-alive connection

    def serve_forever(self) -> None:
        log.info("http_listening host=%s port=%s path=%s", self.host, self.port, EVENTS_PATH)
        self._server.run()

    def stop(self) -> None:
        if self._thread is None:
            self._server.close()
            return
        self._stopping.set()
        self._thread.join(timeout=5)

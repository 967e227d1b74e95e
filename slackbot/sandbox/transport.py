"""FakeSlack's HTTP side: the loopback server, and what happens to a request before and after a
Web API method answers it.

It routes ``/api/<method>`` (and the ``response_url`` and ``upload_url`` it hands out), reads
the arguments and the token, checks the call against Slack's method table and Block Kit limits
(:mod:`slackbot.sandbox.checks`), records every call (:class:`Call`), measures and optionally
enforces rate limits, and plays the failures a test scripted (429 with ``Retry-After``, 5xx,
``ok: false``, slow answers).
"""

from __future__ import annotations

import copy
import json
import math
import threading
import time
import urllib.parse
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .api_arguments import JSON, ApiError, arg_json_dict
from .checks import (
    Issue,
    MethodSpec,
    check_arguments,
    check_message,
    check_view,
    is_present,
    load_methods,
)
from .workspace import Workspace

# Calls per minute of each tier: more in any 60 s window are refused with 429 (Slack is a little
# more lenient, "50+"; a bot that holds these holds Slack's). Special tiers not modelled below
# get 100.
TIER_PER_MINUTE = {"Tier1": 1, "Tier2": 20, "Tier3": 50, "Tier4": 100, "special": 100}
# Methods Slack does not count against a workspace tier the way it counts the rest.
UNLIMITED = frozenset({"auth.test", "apps.connections.open"})
POSTS_PER_CHANNEL_PER_SECOND = 1.0
POST_BURST = 5
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})
MESSAGE_METHODS = ("chat.postMessage", "chat.update", "chat.postEphemeral", "chat.scheduleMessage")
VIEW_TYPES = {
    "views.open": ("modal",),
    "views.push": ("modal",),
    "views.update": ("modal", "home"),
    "views.publish": ("home",),
}


@dataclass
class Call:
    """One request the bot made: a Web API method, or ``response_url`` / ``upload_url``."""

    method: str
    args: dict[str, Any]
    status: int
    response: dict[str, Any] | None
    at: float
    http_verb: str = "POST"
    content_type: str = ""
    thread: str = ""

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.response and self.response.get("ok"))

    @property
    def error(self) -> str | None:
        return None if self.response is None else self.response.get("error")


@dataclass
class Failure:
    status: int
    retry_after: int
    error: str | None
    delay: float
    channel: str | None = None  # only calls to this channel (or user id) fail


@dataclass
class Bucket:
    """Token bucket for enforce_rate_limits: a sustained rate plus a burst allowance."""

    rate: float  # tokens per second
    capacity: float
    tokens: float
    updated: float

    def take(self, now: float) -> float:
        """Take a token; return 0, or the seconds to wait when the bucket is empty."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


Handler = Callable[[JSON], JSON]  # a Web API method: arguments -> answer without "ok"
ResponseUrlHandler = Callable[[str, object, Failure | None], tuple[int, JSON]]
UploadHandler = Callable[[str, bytes], tuple[int, str]]
HttpAnswer = tuple[int, dict[str, str], bytes]


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], transport: Transport) -> None:
        self.transport = transport
        super().__init__(address, _RequestHandler)


class _RequestHandler(BaseHTTPRequestHandler):
    server_version = "FakeSlack/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        # Tests stay quiet; every request is in FakeSlack.calls anyway.
        return

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, verb: str) -> None:
        transport = self.server.transport if isinstance(self.server, _Server) else None
        assert transport is not None
        parts = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, extra_headers, payload = transport.route(
            verb, parts.path, parts.query, headers, body
        )
        self.send_response(status)
        for name, value in extra_headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class Transport:
    """The server thread, the routing, the records and the scripted failures."""

    def __init__(
        self,
        workspace: Workspace,
        *,
        host: str,
        port: int,
        bot_token: str,
        app_token: str,
        enforce_rate_limits: bool,
    ) -> None:
        self.ws = workspace
        self.host = host
        self.port = port
        self.bot_token = bot_token
        self.app_token = app_token
        self.enforce_rate_limits = enforce_rate_limits
        self.calls: list[Call] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._methods: Mapping[str, MethodSpec] = load_methods()
        self._handlers: Mapping[str, Handler] = {}
        self._response_url: ResponseUrlHandler | None = None
        self._upload: UploadHandler | None = None
        self._last_request = time.monotonic()
        self._failures: dict[str, deque[Failure]] = {}
        self._call_times: dict[str, deque[float]] = {}
        self._peak_minute: dict[str, int] = {}
        self._post_times: dict[str, deque[float]] = {}
        self._peak_second: dict[str, int] = {}
        self._buckets: dict[str, Bucket] = {}
        self._accepted: dict[str, deque[float]] = {}

    def mount(
        self,
        handlers: Mapping[str, Handler],
        *,
        response_url: ResponseUrlHandler,
        upload: UploadHandler,
    ) -> None:
        """What answers: the Web API methods (one without a handler is just acknowledged),
        a post to a response_url, an upload to an upload_url. The parts that answer need the
        transport's address, so they are built after it and mounted here."""
        self._handlers = handlers
        self._response_url = response_url
        self._upload = upload

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        if self._server is not None:
            return
        self._server = _Server((self.host, self.port), self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"FakeSlack:{self.port}",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeSlack is not started: call start() or use it as a context")
        return f"http://{self.host}:{self.port}"

    def touch(self) -> None:
        with self.ws.lock:
            self._last_request = time.monotonic()

    def settle(self, *, quiet: float = 0.2, timeout: float = 10.0) -> None:
        """Wait until the bot has made no request to the sandbox for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.ws.lock:
                idle = time.monotonic() - self._last_request
            if idle >= quiet:
                return
            time.sleep(min(quiet - idle, 0.05))
        raise TimeoutError(f"the bot was still calling Slack after {timeout} s")

    # ------------------------------------------------------------------ records

    def calls_to(self, method: str) -> list[Call]:
        with self.ws.lock:
            return [c for c in self.calls if c.method == method]

    def reset_calls(self) -> None:
        """Forget the calls so far, and the rate peaks measured from them."""
        with self.ws.lock:
            self.calls.clear()
            self._call_times.clear()
            self._peak_minute.clear()
            self._post_times.clear()
            self._peak_second.clear()

    def peak_per_minute(self, method: str) -> int:
        """Most calls to ``method`` seen within any 60 s (of ``clock``)."""
        with self.ws.lock:
            return self._peak_minute.get(method, 0)

    def peak_posts_per_second(self, channel: str | None = None) -> int:
        """Most chat.postMessage calls to one channel within any second (all channels: None)."""
        with self.ws.lock:
            if channel is None:
                return max(self._peak_second.values(), default=0)
            found = self.ws.find_channel(channel)
            return self._peak_second.get(found.id if found else channel, 0)

    def shown(self) -> list[tuple[str, JSON]]:
        """Everything the app made Slack show, every version of it: (where, payload) for each
        message it sent or updated, each response_url answer and command ack, each view it
        opened, pushed, updated or published (submission answers included)."""
        with self.ws.lock:
            out: list[tuple[str, JSON]] = []
            for call in self.calls:
                if call.method in MESSAGE_METHODS or call.method == "response_url":
                    out.append((call.method, copy.deepcopy(call.args)))
                elif call.method in VIEW_TYPES:
                    try:
                        view = arg_json_dict(call.args, "view")
                    except ApiError:
                        view = None  # refused, never shown
                    if view is not None:
                        out.append((call.method, copy.deepcopy(view)))
            for user, notes in self.ws.ephemeral_messages.items():
                out.extend((f"ephemeral to {user}", copy.deepcopy(n)) for n in notes)
            out.extend(
                (f"view {v}", copy.deepcopy(view)) for v, view in self.ws.views_by_id.items()
            )
            return out

    # ------------------------------------------------------------------ scripted failures

    def fail(
        self,
        method: str,
        *,
        status: int = 500,
        times: int = 1,
        retry_after: int = 1,
        error: str | None = None,
        delay: float = 0.0,
        channel: str | None = None,
    ) -> None:
        """Make the next ``times`` calls to ``method`` fail (also "response_url", "upload_url"),
        or, with ``channel``, only its calls whose ``channel`` argument is that one.

        429: Retry-After header and ``ratelimited``; 5xx: that status with a JSON error body;
        200 with ``error``: ``ok: false``; 200 without: a normal answer after ``delay``.
        """
        if times < 1:
            raise ValueError("times must be at least 1")
        with self.ws.lock:
            queue = self._failures.setdefault(method, deque())
            queue.extend(Failure(status, retry_after, error, delay, channel) for _ in range(times))

    def slow(self, method: str, seconds: float, times: int = 1) -> None:
        """Answer the next ``times`` calls normally, ``seconds`` late (processed on arrival)."""
        self.fail(method, status=200, times=times, delay=seconds)

    def clear_failures(self) -> None:
        """Forget the scripted failures and slow answers not used yet."""
        with self.ws.lock:
            self._failures.clear()

    def _next_failure(self, method: str, args: Mapping[str, Any] | None = None) -> Failure | None:
        queue = self._failures.get(method)
        if not queue:
            return None
        channel = str((args or {}).get("channel") or "")
        for failure in queue:
            if failure.channel is None or failure.channel == channel:
                queue.remove(failure)
                return failure
        return None

    # ------------------------------------------------------------------ routing

    def route(
        self, verb: str, path: str, query: str, headers: Mapping[str, str], body: bytes
    ) -> HttpAnswer:
        self.touch()
        try:
            if path.startswith("/api/"):
                return self._serve_api(verb, path[len("/api/") :], query, headers, body)
            if path.startswith("/response/") and verb == "POST":
                return self._serve_response_url(path[len("/response/") :], headers, body)
            if path.startswith("/upload/") and verb == "POST":
                return self._serve_upload(path[len("/upload/") :], body)
            return 404, {"Content-Type": "text/plain"}, b"not found"
        finally:
            self.touch()

    def _serve_api(
        self, verb: str, method: str, query: str, headers: Mapping[str, str], body: bytes
    ) -> HttpAnswer:
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        args: JSON = {k: v[-1] for k, v in urllib.parse.parse_qs(query, True).items()}
        parse_error = None
        if body:
            if content_type == "application/json":
                try:
                    parsed = json.loads(body)
                except ValueError:
                    parsed = None
                if isinstance(parsed, dict):
                    # Slack ignores a token inside a JSON body: it must be in the header.
                    parsed.pop("token", None)
                    args.update(parsed)
                else:
                    parse_error = "invalid_json"
            elif content_type in ("application/x-www-form-urlencoded", ""):
                form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), True)
                args.update({k: v[-1] for k, v in form.items()})
            else:
                parse_error = "invalid_form_data"
        token = args.pop("token", None)
        authorization = headers.get("authorization", "")
        if authorization.startswith("Bearer "):
            token = authorization[len("Bearer ") :]

        extra: dict[str, str] = {}
        with self.ws.lock:
            at = self.ws.clock()
            failure = self._next_failure(method, args)
            if parse_error is not None:
                self.ws.violate(f"{method}: body could not be read as {content_type}")
                status, extra, answer = 200, {}, {"ok": False, "error": parse_error}
            else:
                status, extra, answer = self._answer(method, args, token, at, failure)
            self.calls.append(
                Call(
                    method=method,
                    args=args,
                    status=status,
                    response=answer,
                    at=at,
                    http_verb=verb,
                    content_type=content_type,
                    thread=threading.current_thread().name,
                )
            )
        if failure is not None and failure.delay > 0:
            time.sleep(failure.delay)
        headers_out = {"Content-Type": "application/json; charset=utf-8", **extra}
        return status, headers_out, json.dumps(answer).encode()

    def _answer(
        self, method: str, args: JSON, token: object, at: float, failure: Failure | None
    ) -> tuple[int, dict[str, str], JSON]:
        spec = self._methods.get(method)
        if spec is None:
            self.ws.violate(f"{method}: no such Web API method")
            return 200, {}, {"ok": False, "error": "unknown_method"}
        self._count_rate(method, args, at)
        if spec.retired:
            self.ws.violate(f"{method}: {spec.retired}")
            return 200, {}, {"ok": False, "error": "method_deprecated"}
        if spec.needs_token and not token:
            return 200, {}, {"ok": False, "error": "not_authed"}
        # apps.connections.open takes the app-level token and nothing else; every other method
        # takes the bot token and refuses the app-level one.
        wanted = self.app_token if method in APP_TOKEN_METHODS else self.bot_token
        other = self.bot_token if method in APP_TOKEN_METHODS else self.app_token
        if spec.needs_token and token == other:
            return 200, {}, {"ok": False, "error": "not_allowed_token_type"}
        if spec.needs_token and token != wanted:
            return 200, {}, {"ok": False, "error": "invalid_auth"}

        issues = check_arguments(spec, args) + self._payload_issues(method, args)
        for issue in issues:
            self.ws.violate(issue.message)

        if failure is not None:
            if failure.status == 429:
                headers = {"Retry-After": str(failure.retry_after)}
                return 429, headers, {"ok": False, "error": failure.error or "ratelimited"}
            if failure.status != 200:
                return failure.status, {}, {"ok": False, "error": failure.error or "internal_error"}
            if failure.error is not None:
                return 200, {}, {"ok": False, "error": failure.error}
        if self.enforce_rate_limits:
            wait = self._rate_limit_wait(spec, args, at)
            if wait > 0:
                # A test fails when the bot goes past a limit, even if its retry then succeeds.
                self.ws.violate(f"{method}: over its rate limit ({spec.tier}), answered 429")
                headers = {"Retry-After": str(max(1, math.ceil(wait)))}
                return 429, headers, {"ok": False, "error": "ratelimited"}

        refusals = [i for i in issues if i.error is not None]
        if refusals:
            return (
                200,
                {},
                {
                    "ok": False,
                    "error": refusals[0].error,
                    "response_metadata": {"messages": [i.message for i in refusals]},
                },
            )
        handler = self._handlers.get(method, _acknowledge)
        try:
            return 200, {}, {"ok": True, **handler(args)}
        except ApiError as err:
            return 200, {}, {"ok": False, "error": err.error, **err.extra}
        except Exception as exc:  # a sandbox bug must fail the test, not hang the client
            self.ws.violate(f"{method}: the sandbox failed: {exc!r}")
            return 500, {}, {"ok": False, "error": "internal_error"}

    def _payload_issues(self, method: str, args: JSON) -> list[Issue]:
        if method in MESSAGE_METHODS:
            return check_message(method, args)
        if method in VIEW_TYPES and is_present(args.get("view")):
            return check_view(method, args["view"], types=VIEW_TYPES[method])[1]
        return []

    def _serve_response_url(
        self, url_id: str, headers: Mapping[str, str], body: bytes
    ) -> HttpAnswer:
        assert self._response_url is not None, "mount() first"
        with self.ws.lock:
            at = self.ws.clock()
            failure = self._next_failure("response_url")
            try:
                payload = json.loads(body) if body else None
            except ValueError:
                payload = None
            status, answer = self._response_url(url_id, payload, failure)
            self.calls.append(
                Call(
                    "response_url",
                    payload if isinstance(payload, dict) else {},
                    status,
                    answer,
                    at,
                    content_type=headers.get("content-type", ""),
                    thread=threading.current_thread().name,
                )
            )
        if failure is not None and failure.delay > 0:
            time.sleep(failure.delay)
        return (
            status,
            {"Content-Type": "application/json; charset=utf-8"},
            json.dumps(answer).encode(),
        )

    def _serve_upload(self, file_id: str, body: bytes) -> HttpAnswer:
        assert self._upload is not None, "mount() first"
        with self.ws.lock:
            at = self.ws.clock()
            failure = self._next_failure("upload_url")
            if failure is not None and failure.status != 200:
                status, text = failure.status, "upload failed"
            else:
                status, text = self._upload(file_id, body)
            self.calls.append(
                Call("upload_url", {"file_id": file_id, "bytes": len(body)}, status, None, at)
            )
        return status, {"Content-Type": "text/plain; charset=utf-8"}, text.encode()

    # ------------------------------------------------------------------ rate limits

    def _count_rate(self, method: str, args: JSON, at: float) -> None:
        times = self._call_times.setdefault(method, deque())
        times.append(at)
        while times[0] <= at - 60:
            times.popleft()
        self._peak_minute[method] = max(self._peak_minute.get(method, 0), len(times))
        if method == "chat.postMessage":
            channel = str(args.get("channel", ""))
            found = self.ws.find_channel(channel)
            key = found.id if found else channel
            posts = self._post_times.setdefault(key, deque())
            posts.append(at)
            while posts[0] <= at - 1:
                posts.popleft()
            self._peak_second[key] = max(self._peak_second.get(key, 0), len(posts))

    def _rate_limit_wait(self, spec: MethodSpec, args: JSON, at: float) -> float:
        """0 when the call is within its limit (and counted), else the seconds to wait."""
        if spec.name in UNLIMITED:
            return 0.0
        if spec.name == "chat.postMessage":
            # About one message per second into a channel, with short bursts.
            channel = str(args.get("channel", ""))
            found = self.ws.find_channel(channel)
            key = f"chat.postMessage:{found.id if found else channel}"
            rate, capacity = POSTS_PER_CHANNEL_PER_SECOND, float(POST_BURST)
            bucket = self._buckets.setdefault(key, Bucket(rate, capacity, capacity, at))
            return bucket.take(at)
        limit = TIER_PER_MINUTE.get(spec.tier, 100)
        accepted = self._accepted.setdefault(spec.name, deque())
        while accepted and accepted[0] <= at - 60:
            accepted.popleft()
        if len(accepted) >= limit:
            return accepted[0] + 60 - at
        accepted.append(at)
        return 0.0


def _acknowledge(args: JSON) -> JSON:
    """A method the sandbox does not model answers ``{"ok": true}``."""
    return {}

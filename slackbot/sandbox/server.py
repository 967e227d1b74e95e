"""FakeSlack: a stateful local stand-in for Slack, for tests and the local demo.

It plays both of Slack's parts:

- the Web API, served on loopback at ``/api/<method>`` (point ``WebClient(base_url=api_url)`` at
  it). It keeps a small workspace (users, channels, messages, threads, reactions, modals, Home
  tabs, files), records every call, checks every call against Slack's method table and Block Kit
  limits (:mod:`slackbot.sandbox.checks`), and can be told to fail (429 with ``Retry-After``,
  5xx, ``ok: false``, slow answers);
- Slack towards the bot: it sends signed slash commands, view submissions, button clicks,
  shortcuts and Events API callbacks to the bot's URL, and applies the bot's answers the way
  Slack does (a view submission's ``response_action``, a ``response_url`` post, ...).

Everything is stdlib plus slack_sdk. State lives behind one lock; nothing that calls the bot
holds it, because the bot calls back into the Web API while it handles a request.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import itertools
import json
import math
import re
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, TypeVar

from slack_sdk.signature import SignatureVerifier

from .checks import (
    INPUT_ELEMENT_TYPES,
    Issue,
    MethodSpec,
    check_arguments,
    check_message,
    check_view,
    is_present,
    iter_elements,
    load_methods,
    parse_json_argument,
)

JSON = dict[str, Any]
T = TypeVar("T")

ACK_DEADLINE = 3.0  # seconds Slack waits for the app's HTTP answer
TRIGGER_TTL = 3.0  # a trigger_id works once, within 3 s
RESPONSE_URL_TTL = 30 * 60
RESPONSE_URL_USES = 5
VIEW_STACK_MAX = 3
# Sustained calls per minute of each tier; bursts above them are tolerated (see _Bucket).
TIER_PER_MINUTE = {"Tier1": 1, "Tier2": 20, "Tier3": 50, "Tier4": 100, "special": 100}
POSTS_PER_CHANNEL_PER_SECOND = 1.0
POST_BURST = 5
USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"
CHANNEL_NAME = re.compile(r"[a-z0-9_-]+")
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})
# Users listed per reaction in conversations.history and reactions.get without full=true
# (Slack cuts the list and does not document where; the stand-in cuts at 50).
REACTION_USERS_SHOWN = 50
MESSAGE_METHODS = ("chat.postMessage", "chat.update", "chat.postEphemeral", "chat.scheduleMessage")
VIEW_TYPES = {
    "views.open": ("modal",),
    "views.push": ("modal",),
    "views.update": ("modal", "home"),
    "views.publish": ("home",),
}
_UNSET: Any = object()


@dataclass
class Response:
    """The bot's answer to a request the sandbox sent it (as Slack)."""

    status: int
    body: bytes
    headers: dict[str, str]
    elapsed: float
    event_id: str | None = None  # for an Events API delivery: the envelope's event_id

    @property
    def json(self) -> Any:
        """The parsed body; None when it is empty or not JSON."""
        if not self.body.strip():
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


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


class ApiError(Exception):
    """Raised by a method handler: becomes ``{"ok": false, "error": error, **extra}``."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


@dataclass
class _Failure:
    status: int
    retry_after: int
    error: str | None
    delay: float
    channel: str | None = None  # only calls to this channel (or user id) fail


@dataclass
class _User:
    id: str
    name: str
    real_name: str
    is_bot: bool


@dataclass
class _Message:
    ts: str
    channel: str
    user: str
    text: str
    blocks: list[JSON] = field(default_factory=list)
    attachments: list[JSON] = field(default_factory=list)
    files: list[JSON] = field(default_factory=list)
    thread_ts: str | None = None
    metadata: JSON | None = None
    bot_id: str | None = None
    subtype: str | None = None
    edited_ts: str | None = None
    reactions: dict[str, list[str]] = field(default_factory=dict)
    replies: list[_Message] = field(default_factory=list)


@dataclass
class _Channel:
    id: str
    name: str
    is_private: bool
    created: int
    creator: str
    members: list[str] = field(default_factory=list)
    messages: list[_Message] = field(default_factory=list)
    is_im: bool = False
    is_mpim: bool = False
    im_user: str | None = None
    is_archived: bool = False


@dataclass
class _Trigger:
    user: str
    issued_at: float
    used: bool = False


@dataclass
class _ResponseTarget:
    """What a response_url answers: a command (channel) or a message action (a message)."""

    user: str
    channel: str
    issued_at: float
    message_ts: str | None = None
    is_ephemeral: bool = False
    uses: int = 0


@dataclass
class _File:
    id: str
    filename: str
    length: int
    content: bytes | None = None
    title: str = ""
    channels: list[str] = field(default_factory=list)
    initial_comment: str | None = None
    thread_ts: str | None = None
    completed: bool = False


@dataclass
class _Bucket:
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


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], fake: FakeSlack) -> None:
        self.fake = fake
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
        fake = self.server.fake if isinstance(self.server, _Server) else None
        assert fake is not None
        parts = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, extra_headers, payload = fake._route(verb, parts.path, parts.query, headers, body)
        self.send_response(status)
        for name, value in extra_headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class FakeSlack:
    """A Slack workspace on loopback. See the module docstring; tests use it as a fixture."""

    def __init__(
        self,
        *,
        signing_secret: str = "sandbox-signing-secret",
        bot_token: str = "xoxb-sandbox-token",
        app_token: str = "xapp-1-A0SANDBOX-sandbox-token",
        team_id: str = "T0SANDBOX",
        bot_user_id: str = "U0BOT",
        bot_id: str = "B0BOT",
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        enforce_rate_limits: bool = False,
        bot_name: str = "communitybot",
        app_id: str = "A0SANDBOX",
        team_domain: str = "sandbox",
        request_timeout: float = 10.0,
    ) -> None:
        self.signing_secret = signing_secret
        self.bot_token = bot_token
        self.app_token = app_token
        self.team_id = team_id
        self.team_domain = team_domain
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.bot_name = bot_name
        self.app_id = app_id
        # The deprecated verification token Slack still puts in every payload.
        self.verification_token = "sandbox-verification-token"
        self.host = host
        self.port = port
        self.enforce_rate_limits = enforce_rate_limits
        self.request_timeout = request_timeout
        self.app_url: str | None = None
        self.socket: Any = None  # a SocketModeServer once connect_socket_mode() is called
        self.calls: list[Call] = []
        self.violations: list[str] = []
        self.last_event_envelope: JSON | None = None

        # clock: trigger expiry, response_url expiry and rate windows (tests may fake it);
        # wall_clock: message timestamps and request signatures, which must look like real time.
        self._clock = clock
        self._wall = wall_clock
        self._lock = threading.RLock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._verifier = SignatureVerifier(signing_secret)
        self._methods: Mapping[str, MethodSpec] = load_methods()
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

        self._counters: dict[str, itertools.count[int]] = {}
        self._last_ts = 0
        self._last_request = time.monotonic()
        self._users: dict[str, _User] = {}
        self._channels: dict[str, _Channel] = {}
        self._index: dict[tuple[str, str], _Message] = {}
        self._ephemerals: dict[str, list[JSON]] = {}
        self._triggers: dict[str, _Trigger] = {}
        self._response_urls: dict[str, _ResponseTarget] = {}
        self._views: dict[str, JSON] = {}
        self._view_owner: dict[str, str] = {}
        self._stacks: dict[str, list[str]] = {}
        self._homes: dict[str, str] = {}
        self._view_errors: dict[str, dict[str, str]] = {}
        self._files: dict[str, _File] = {}
        self._failures: dict[str, deque[_Failure]] = {}
        self._call_times: dict[str, deque[float]] = {}
        self._peak_minute: dict[str, int] = {}
        self._post_times: dict[str, deque[float]] = {}
        self._peak_second: dict[str, int] = {}
        self._buckets: dict[str, _Bucket] = {}

        self._handlers: dict[str, Callable[[JSON], JSON]] = {
            "auth.test": self._auth_test,
            "bots.info": self._bots_info,
            "users.info": self._users_info,
            "users.list": self._users_list,
            "conversations.list": self._conversations_list,
            "conversations.info": self._conversations_info,
            "conversations.join": self._conversations_join,
            "conversations.create": self._conversations_create,
            "conversations.invite": self._conversations_invite,
            "conversations.members": self._conversations_members,
            "conversations.open": self._conversations_open,
            "conversations.history": self._conversations_history,
            "conversations.replies": self._conversations_replies,
            "chat.postMessage": self._chat_post_message,
            "chat.update": self._chat_update,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.getPermalink": self._chat_get_permalink,
            "chat.delete": self._chat_delete,
            "reactions.get": self._reactions_get,
            "reactions.add": self._reactions_add,
            "reactions.remove": self._reactions_remove,
            "views.open": self._views_open,
            "views.push": self._views_push,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
            "apps.connections.open": self._apps_connections_open,
        }
        self.add_user(bot_user_id, bot_name, is_bot=True)

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> FakeSlack:
        """Serve on host:port (port 0: a free one) from a daemon thread."""
        if self._server is not None:
            return self
        self._server = _Server((self.host, self.port), self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"FakeSlack:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self.socket is not None:
            self.socket.stop()
            self.socket = None
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeSlack is not started: call start() or use it as a context")
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        """For ``WebClient(base_url=...)``: ends with a slash, as slack_sdk expects."""
        return f"{self.base_url}/api/"

    def connect_app(self, url: str) -> None:
        """Where the bot listens for commands, interactivity and events (one URL, as Bolt)."""
        self.app_url = url

    def connect_socket_mode(self, **options: Any) -> Any:
        """Deliver to the app over Socket Mode instead of HTTP: apps.connections.open (with
        ``app_token``) then hands out WebSocket URLs. Returns the SocketModeServer, whose faults
        (refresh, close_all, kill_all) and recorded acks the tests use."""
        from .socket_mode import SocketModeServer  # needs the `websockets` test dependency

        if self.socket is None:
            self.socket = SocketModeServer(app_id=self.app_id, host=self.host, **options).start()
        self.app_url = None
        return self.socket

    # ------------------------------------------------------------------ workspace state

    def add_user(
        self, user_id: str, name: str, *, real_name: str | None = None, is_bot: bool = False
    ) -> None:
        with self._lock:
            self._users[user_id] = _User(user_id, name, real_name or name, is_bot)

    def add_channel(
        self,
        name: str,
        *,
        channel_id: str | None = None,
        members: Iterable[str] = (),
        is_private: bool = False,
    ) -> str:
        """Create a channel (no name rules: tests may need odd names); returns its id."""
        with self._lock:
            if self._channel_named(name) is not None:
                raise ValueError(f"channel #{name} exists already")
            if channel_id is not None and channel_id in self._channels:
                raise ValueError(f"channel id {channel_id} is taken")
            cid = channel_id or self._new_id("C", taken=self._channels)
            unknown = [m for m in members if m not in self._users]
            if unknown:
                raise ValueError(f"unknown members {unknown}: add_user() them first")
            self._channels[cid] = _Channel(
                id=cid,
                name=name,
                is_private=is_private,
                created=int(self._wall()),
                creator=self.bot_user_id,
                members=list(dict.fromkeys(members)),
            )
            return cid

    def join(self, channel: str, user: str) -> None:
        """A person joins a channel (no event is sent)."""
        with self._lock:
            self._person(user)
            target = self._lookup(channel)
            if user not in target.members:
                target.members.append(user)

    def channel_id(self, name: str) -> str:
        with self._lock:
            channel = self._channel_named(name.lstrip("#"))
            if channel is None:
                raise KeyError(f"no channel named {name!r}")
            return channel.id

    def members(self, channel: str) -> list[str]:
        with self._lock:
            return list(self._lookup(channel).members)

    def add_message(
        self, channel: str, user: str, text: str, *, thread_ts: str | None = None
    ) -> str:
        """Put a message from a person into a channel (no event is sent); returns its ts."""
        with self._lock:
            target = self._lookup(channel)
            if user not in self._users:
                raise ValueError(f"unknown user {user}: add_user() first")
            message = _Message(ts=self._next_ts(), channel=target.id, user=user, text=text)
            try:
                self._store_message(target, message, thread_ts)
            except ApiError as err:
                raise ValueError(f"{err.error}: no message {thread_ts} in {channel}") from None
            return message.ts

    def messages(self, channel: str) -> list[JSON]:
        """Top-level messages of a channel (id, name or user id for the DM), oldest first."""
        with self._lock:
            return [self._plain_message(m) for m in self._lookup(channel).messages]

    def thread(self, channel: str, ts: str) -> list[JSON]:
        with self._lock:
            return [self._plain_message(m) for m in self._message_in(channel, ts).replies]

    def message(self, channel: str, ts: str) -> JSON:
        with self._lock:
            return self._plain_message(self._message_in(channel, ts))

    def dms(self, user_id: str) -> list[JSON]:
        """What the bot wrote in its DM with the user (to the user id or the D... id)."""
        with self._lock:
            im = self._im_of(user_id)
            return [] if im is None else [self._plain_message(m) for m in im.messages]

    def ephemerals(self, user_id: str) -> list[JSON]:
        """Ephemeral messages the user saw: chat.postEphemeral, response_url and command acks."""
        with self._lock:
            return copy.deepcopy(self._ephemerals.get(user_id, []))

    def views(self, user_id: str) -> list[JSON]:
        """The user's open modals, bottom of the stack first."""
        with self._lock:
            return [copy.deepcopy(self._views[v]) for v in self._stacks.get(user_id, [])]

    def view(self, view_id: str) -> JSON:
        with self._lock:
            if view_id not in self._views:
                raise KeyError(f"no view {view_id}")
            return copy.deepcopy(self._views[view_id])

    def view_errors(self, view_id: str) -> dict[str, str]:
        """The field errors of the last view submission answered with response_action=errors."""
        with self._lock:
            return dict(self._view_errors.get(view_id, {}))

    def home(self, user_id: str) -> JSON | None:
        with self._lock:
            view_id = self._homes.get(user_id)
            return None if view_id is None else copy.deepcopy(self._views[view_id])

    def files(self) -> list[JSON]:
        with self._lock:
            return [
                {
                    "id": f.id,
                    "filename": f.filename,
                    "title": f.title,
                    "content": f.content or b"",
                    "channels": list(f.channels),
                    "initial_comment": f.initial_comment,
                    "thread_ts": f.thread_ts,
                }
                for f in self._files.values()
                if f.completed
            ]

    @property
    def channels(self) -> dict[str, JSON]:
        """Every conversation by id: id, name, is_private, is_im, is_mpim, members."""
        with self._lock:
            return {
                c.id: {
                    "id": c.id,
                    "name": c.name,
                    "is_private": c.is_private,
                    "is_im": c.is_im,
                    "is_mpim": c.is_mpim,
                    "is_archived": c.is_archived,
                    "members": list(c.members),
                }
                for c in self._channels.values()
            }

    def shown(self) -> list[tuple[str, JSON]]:
        """Everything the app made Slack show, every version of it: (where, payload) for each
        message it sent or updated, each response_url answer and command ack, each view it
        opened, pushed, updated or published (submission answers included)."""
        with self._lock:
            out: list[tuple[str, JSON]] = []
            for call in self.calls:
                if call.method in MESSAGE_METHODS or call.method == "response_url":
                    out.append((call.method, copy.deepcopy(call.args)))
                elif call.method in VIEW_TYPES:
                    try:
                        view = _json_dict(call.args, "view")
                    except ApiError:
                        view = None  # refused, never shown
                    if view is not None:
                        out.append((call.method, copy.deepcopy(view)))
            for user, notes in self._ephemerals.items():
                out.extend((f"ephemeral to {user}", copy.deepcopy(n)) for n in notes)
            out.extend((f"view {v}", copy.deepcopy(view)) for v, view in self._views.items())
            return out

    def wait_for(self, condition: Callable[[], T], *, timeout: float = 3.0) -> T:
        """Poll ``condition`` until it returns something truthy; return that.

        Bolt acknowledges first and runs the listener afterwards, so what a listener does
        (views.open, chat.postMessage) can land just after the request to the bot returned.
        """
        deadline = time.monotonic() + timeout
        while True:
            result = condition()
            if result or time.monotonic() >= deadline:
                break
            time.sleep(0.01)
        if not result:
            raise TimeoutError(f"condition still false after {timeout} s")
        return result

    def settle(self, *, quiet: float = 0.2, timeout: float = 10.0) -> None:
        """Wait until the bot has made no request to the sandbox for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                idle = time.monotonic() - self._last_request
            if idle >= quiet:
                return
            time.sleep(min(quiet - idle, 0.05))
        raise TimeoutError(f"the bot was still calling Slack after {timeout} s")

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def reset_calls(self) -> None:
        """Forget the calls so far, and the rate peaks measured from them."""
        with self._lock:
            self.calls.clear()
            self._call_times.clear()
            self._peak_minute.clear()
            self._post_times.clear()
            self._peak_second.clear()

    def peak_per_minute(self, method: str) -> int:
        """Most calls to ``method`` seen within any 60 s (of ``clock``)."""
        with self._lock:
            return self._peak_minute.get(method, 0)

    def peak_posts_per_second(self, channel: str | None = None) -> int:
        """Most chat.postMessage calls to one channel within any second (all channels: None)."""
        with self._lock:
            if channel is None:
                return max(self._peak_second.values(), default=0)
            found = self._find_channel(channel)
            return self._peak_second.get(found.id if found else channel, 0)

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
        with self._lock:
            queue = self._failures.setdefault(method, deque())
            queue.extend(_Failure(status, retry_after, error, delay, channel) for _ in range(times))

    def clear_failures(self) -> None:
        """Forget the scripted failures and slow answers not used yet."""
        with self._lock:
            self._failures.clear()

    def slow(self, method: str, seconds: float, times: int = 1) -> None:
        """Answer the next ``times`` calls normally, ``seconds`` late (processed on arrival)."""
        self.fail(method, status=200, times=times, delay=seconds)

    # ------------------------------------------------------------------ Slack -> bot

    def post_signed(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """POST to the bot, signed like Slack unless a (forged) signature is given."""
        if self.app_url is None:
            raise RuntimeError("no app URL: call connect_app(url) first")
        ts = int(self._wall()) if timestamp is None else timestamp
        if signature is None:
            # Signed over the raw bytes, as Slack does (a fuzzing test may send non-UTF-8).
            digest = hmac.new(
                self.signing_secret.encode(), b"v0:%d:%s" % (ts, body), hashlib.sha256
            ).hexdigest()
            signature = f"v0={digest}"
        request_headers: dict[str, str] = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": signature,
            "User-Agent": USER_AGENT,
            **(headers or {}),
        }
        request = urllib.request.Request(
            self.app_url, data=body, headers=request_headers, method="POST"
        )
        started = time.monotonic()
        try:
            with self._opener.open(request, timeout=self.request_timeout) as answer:
                status, payload, answer_headers = answer.status, answer.read(), answer.headers
        except urllib.error.HTTPError as err:
            status, payload, answer_headers = err.code, err.read(), err.headers
        self._touch()
        return Response(
            status=status,
            body=payload,
            headers=dict(answer_headers.items()) if answer_headers else {},
            elapsed=time.monotonic() - started,
        )

    def _deliver(
        self, body: bytes, content_type: str, *, headers: Mapping[str, str] | None = None
    ) -> Response:
        """Send a request to the app: signed over HTTP, or as an envelope over Socket Mode."""
        if self.socket is None or self.app_url is not None:
            return self.post_signed(body, content_type, headers=headers)
        if content_type == "application/json":
            kind, payload = "events_api", json.loads(body)
        else:
            form = {k: v[-1] for k, v in urllib.parse.parse_qs(body.decode(), True).items()}
            if "payload" in form:
                kind, payload = "interactive", json.loads(form["payload"])
            else:
                kind, payload = "slash_commands", form
        retry = int((headers or {}).get("X-Slack-Retry-Num") or 0)
        started = time.monotonic()
        ack = self.socket.deliver(kind, payload, retry_attempt=retry)
        self._touch()
        if ack is None:  # no connection came up, or the app never acked
            return Response(status=408, body=b"", headers={}, elapsed=time.monotonic() - started)
        answer = b"" if ack.payload is None else json.dumps(ack.payload).encode()
        return Response(status=200, body=answer, headers={}, elapsed=ack.elapsed)

    def slash_command(
        self, user: str, command: str, text: str = "", *, channel: str | None = None
    ) -> Response:
        """Type ``command text`` in ``channel`` (default: the user's DM with the app)."""
        if not command.startswith("/"):
            raise ValueError(f"slash commands start with '/': {command!r}")
        with self._lock:
            person = self._person(user)
            where = self._im_for(user) if channel is None else self._lookup(channel)
            trigger_id = self._issue_trigger(user)
            response_url = self._issue_response_url(user, where.id)
            fields = {
                "token": self.verification_token,
                "team_id": self.team_id,
                "team_domain": self.team_domain,
                "channel_id": where.id,
                "channel_name": "directmessage" if where.is_im else where.name,
                "user_id": user,
                "user_name": person.name,
                "command": command,
                "text": text,
                "api_app_id": self.app_id,
                "is_enterprise_install": "false",
                "response_url": response_url,
                "trigger_id": trigger_id,
            }
        body = urllib.parse.urlencode(fields).encode()
        response = self._deliver(body, "application/x-www-form-urlencoded")
        if self._acked_in_time(f"slash command {command}", response) and response.body.strip():
            # An ack with a body is a message to the user, as if posted to response_url.
            payload = response.json
            with self._lock:
                if isinstance(payload, dict):
                    target = self._response_urls[response_url.rsplit("/", 1)[1]]
                    self._apply_message_response(target, payload, f"{command} ack", via="ack")
                    # (errors are recorded as violations by _apply_message_response)
                else:
                    self._violate(f"slash command {command}: ack body is not a JSON object")
        return response

    def submit_view(self, user: str, view_id: str, values: Mapping[str, object]) -> Response:
        """Press the submit button of an open modal with ``values`` {block_id: value}."""
        with self._lock:
            person = self._person(user)
            if view_id not in self._stacks.get(user, []):
                raise ValueError(f"view {view_id} is not open for {user}")
            view = self._views[view_id]
            view["state"] = self._build_state(view, values)
            payload = {
                "type": "view_submission",
                "team": self._team_ref(),
                "user": self._user_ref(person),
                "api_app_id": self.app_id,
                "token": self.verification_token,
                "trigger_id": self._issue_trigger(user),
                "view": copy.deepcopy(view),
                "response_urls": [],
                "is_enterprise_install": False,
                "enterprise": None,
            }
            sent_hash = view["hash"]
        response = self._post_payload(payload)
        if self._acked_in_time(f"view_submission {view_id}", response):
            with self._lock:
                self._apply_submission_answer(user, view_id, response, sent_hash)
        return response

    def close_view(self, user: str, view_id: str, *, notify: bool = True) -> Response | None:
        """Press a modal's close button; sends view_closed if the view asked for it."""
        with self._lock:
            person = self._person(user)
            stack = self._stacks.get(user, [])
            if view_id not in stack:
                raise ValueError(f"view {view_id} is not open for {user}")
            view = self._views[view_id]
            cleared = bool(view.get("clear_on_close"))
            if cleared:
                stack.clear()
            else:
                stack.remove(view_id)
            if not (notify and view.get("notify_on_close")):
                return None
            payload = {
                "type": "view_closed",
                "team": self._team_ref(),
                "user": self._user_ref(person),
                "api_app_id": self.app_id,
                "token": self.verification_token,
                "view": copy.deepcopy(view),
                "is_cleared": cleared,
                "is_enterprise_install": False,
                "enterprise": None,
            }
        response = self._post_payload(payload)
        self._acked_in_time(f"view_closed {view_id}", response)
        return response

    def click(
        self,
        user: str,
        action_id: str,
        *,
        value: str | None = None,
        block_id: str | None = None,
        channel: str | None = None,
        message_ts: str | None = None,
        view_id: str | None = None,
        selected_option: str | None = None,
    ) -> Response:
        """Use an interactive element that is on screen: in a message, a modal or a Home tab."""
        with self._lock:
            person = self._person(user)
            payload: JSON = {
                "type": "block_actions",
                "user": self._user_ref(person),
                "api_app_id": self.app_id,
                "token": self.verification_token,
                "team": self._team_ref(),
                "enterprise": None,
                "is_enterprise_install": False,
                "state": {"values": {}},
            }
            if view_id is not None:
                view = self._views.get(view_id)
                if view is None or not self._is_on_screen(user, view_id):
                    raise ValueError(f"view {view_id} is not on {user}'s screen")
                blocks = view.get("blocks", [])
                payload["container"] = {"type": "view", "view_id": view_id}
                payload["view"] = copy.deepcopy(view)
                payload["state"] = copy.deepcopy(view.get("state", {"values": {}}))
                where = f"view {view_id}"
            elif channel is not None:
                target = self._lookup(channel)
                if message_ts is None:
                    # Ephemeral messages (a command's answer) have a ts the test rarely knows:
                    # take the user's newest one in the channel that shows the element.
                    message_ts = self._ephemeral_showing(user, target.id, action_id, block_id)
                message = self._index.get((target.id, message_ts))
                ephemeral = None if message else self._ephemeral(user, target.id, message_ts)
                if message is not None:
                    blocks = message.blocks
                elif ephemeral is not None:
                    blocks = ephemeral["blocks"]
                else:
                    raise ValueError(f"no message {message_ts} in {channel} that {user} can see")
                payload["container"] = {
                    "type": "message",
                    "message_ts": message_ts,
                    "channel_id": target.id,
                    "is_ephemeral": message is None,
                }
                payload["channel"] = {"id": target.id, "name": self._channel_label(target)}
                if message is not None:
                    payload["message"] = self._api_message(message)
                payload["response_url"] = self._issue_response_url(
                    user, target.id, message_ts=message_ts, is_ephemeral=message is None
                )
                where = f"message {message_ts} in {channel}"
            else:
                raise ValueError("click() needs view_id, or channel (and message_ts)")
            block, element = self._find_element(blocks, action_id, block_id, value, where)
            payload["actions"] = [self._action(block, element, value, selected_option)]
            payload["trigger_id"] = self._issue_trigger(user)
        response = self._post_payload(payload)
        self._acked_in_time(f"block_actions {action_id}", response)
        return response

    def message_shortcut(
        self, user: str, callback_id: str, *, channel: str, message_ts: str
    ) -> Response:
        """Run a message shortcut (the "..." menu of a message)."""
        with self._lock:
            person = self._person(user)
            target = self._lookup(channel)
            message = self._index.get((target.id, message_ts))
            if message is None:
                raise ValueError(f"no message {message_ts} in {channel}")
            payload = {
                "type": "message_action",
                "token": self.verification_token,
                "action_ts": self._event_ts(),
                "team": self._team_ref(),
                "user": self._user_ref(person),
                "channel": {"id": target.id, "name": self._channel_label(target)},
                "is_enterprise_install": False,
                "enterprise": None,
                "callback_id": callback_id,
                "trigger_id": self._issue_trigger(user),
                "response_url": self._issue_response_url(user, target.id),
                "message_ts": message_ts,
                "message": self._api_message(message),
            }
        response = self._post_payload(payload)
        self._acked_in_time(f"message_action {callback_id}", response)
        return response

    def shortcut(self, user: str, callback_id: str) -> Response:
        """Run a global shortcut (the lightning-bolt menu)."""
        with self._lock:
            person = self._person(user)
            payload = {
                "type": "shortcut",
                "token": self.verification_token,
                "action_ts": self._event_ts(),
                "team": self._team_ref(),
                "user": self._user_ref(person),
                "is_enterprise_install": False,
                "enterprise": None,
                "callback_id": callback_id,
                "trigger_id": self._issue_trigger(user),
            }
        response = self._post_payload(payload)
        self._acked_in_time(f"shortcut {callback_id}", response)
        return response

    def react(
        self, user: str, channel: str, ts: str, emoji: str, *, deliver: bool = True
    ) -> Response | None:
        """The user adds a reaction; the bot hears of it unless ``deliver`` is False (lost).

        As on Slack, no event reaches the bot for a channel it is not a member of (None).
        """
        return self._reaction(user, channel, ts, emoji, added=True, deliver=deliver)

    def unreact(
        self, user: str, channel: str, ts: str, emoji: str, *, deliver: bool = True
    ) -> Response | None:
        return self._reaction(user, channel, ts, emoji, added=False, deliver=deliver)

    def send_event(
        self,
        event: Mapping[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
    ) -> Response:
        """Deliver an Events API callback; the envelope is kept in ``last_event_envelope``."""
        with self._lock:
            body = dict(event)
            body.setdefault("event_ts", self._event_ts())
            envelope = {
                "token": self.verification_token,
                "team_id": self.team_id,
                "api_app_id": self.app_id,
                "event": body,
                "type": "event_callback",
                "event_id": event_id or "Ev" + self._new_id("", width=8),
                "event_time": int(self._wall()),
                "authorizations": [
                    {
                        "enterprise_id": None,
                        "team_id": self.team_id,
                        "user_id": self.bot_user_id,
                        "is_bot": True,
                        "is_enterprise_install": False,
                    }
                ],
                "is_ext_shared_channel": False,
                "event_context": "4-" + secrets.token_urlsafe(24),
            }
            self.last_event_envelope = envelope
        return self.redeliver(envelope, retry_num=retry_num, retry_reason=retry_reason)

    def redeliver(
        self,
        envelope: Mapping[str, Any],
        *,
        retry_num: int | None = 1,
        retry_reason: str = "http_timeout",
    ) -> Response:
        """Send an envelope again, as Slack's retries do (retry_num=None: no retry headers)."""
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
        body = json.dumps(envelope).encode()
        response = self._deliver(body, "application/json", headers=headers)
        response.event_id = str(envelope.get("event_id") or "") or None
        event_type = envelope.get("event", {}).get("type", "?")
        self._acked_in_time(f"event {event_type} {envelope.get('event_id')}", response)
        return response

    def open_home(self, user: str) -> Response:
        """The user opens the app's Home tab: app_home_opened."""
        with self._lock:
            self._person(user)
            event: JSON = {
                "type": "app_home_opened",
                "user": user,
                "channel": self._im_for(user).id,
                "tab": "home",
                "event_ts": self._event_ts(),
            }
            if user in self._homes:
                event["view"] = copy.deepcopy(self._views[self._homes[user]])
        return self.send_event(event)

    def url_verification(self, challenge: str = "sandbox-challenge") -> Response:
        """The handshake Slack does when the Events URL is configured."""
        body = {
            "token": self.verification_token,
            "challenge": challenge,
            "type": "url_verification",
        }
        return self.post_signed(json.dumps(body).encode(), "application/json")

    # ------------------------------------------------------------------ HTTP routing

    def _route(
        self, verb: str, path: str, query: str, headers: Mapping[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        self._touch()
        try:
            if path.startswith("/api/"):
                return self._serve_api(verb, path[len("/api/") :], query, headers, body)
            if path.startswith("/response/") and verb == "POST":
                return self._serve_response_url(path[len("/response/") :], headers, body)
            if path.startswith("/upload/") and verb == "POST":
                return self._serve_upload(path[len("/upload/") :], body)
            return 404, {"Content-Type": "text/plain"}, b"not found"
        finally:
            self._touch()

    def _touch(self) -> None:
        with self._lock:
            self._last_request = time.monotonic()

    def _serve_api(
        self, verb: str, method: str, query: str, headers: Mapping[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
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
        with self._lock:
            at = self._clock()
            failure = self._next_failure(method, args)
            if parse_error is not None:
                self._violate(f"{method}: body could not be read as {content_type}")
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
        self, method: str, args: JSON, token: object, at: float, failure: _Failure | None
    ) -> tuple[int, dict[str, str], JSON]:
        spec = self._methods.get(method)
        if spec is None:
            self._violate(f"{method}: no such Web API method")
            return 200, {}, {"ok": False, "error": "unknown_method"}
        self._count_rate(method, args, at)
        if spec.retired:
            self._violate(f"{method}: {spec.retired}")
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
            self._violate(issue.message)

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
        handler = self._handlers.get(method, self._acknowledge)
        try:
            return 200, {}, {"ok": True, **handler(args)}
        except ApiError as err:
            return 200, {}, {"ok": False, "error": err.error, **err.extra}
        except Exception as exc:  # a sandbox bug must fail the test, not hang the client
            self._violate(f"{method}: the sandbox failed: {exc!r}")
            return 500, {}, {"ok": False, "error": "internal_error"}

    def _payload_issues(self, method: str, args: JSON) -> list[Issue]:
        if method in MESSAGE_METHODS:
            return check_message(method, args)
        if method in VIEW_TYPES and is_present(args.get("view")):
            return check_view(method, args["view"], types=VIEW_TYPES[method])[1]
        return []

    def _next_failure(self, method: str, args: Mapping[str, Any] | None = None) -> _Failure | None:
        queue = self._failures.get(method)
        if not queue:
            return None
        channel = str((args or {}).get("channel") or "")
        for failure in queue:
            if failure.channel is None or failure.channel == channel:
                queue.remove(failure)
                return failure
        return None

    def _violate(self, message: str) -> None:
        self.violations.append(message)

    # ------------------------------------------------------------------ rate limits

    def _count_rate(self, method: str, args: JSON, at: float) -> None:
        times = self._call_times.setdefault(method, deque())
        times.append(at)
        while times[0] <= at - 60:
            times.popleft()
        self._peak_minute[method] = max(self._peak_minute.get(method, 0), len(times))
        if method == "chat.postMessage":
            channel = str(args.get("channel", ""))
            found = self._find_channel(channel)
            key = found.id if found else channel
            posts = self._post_times.setdefault(key, deque())
            posts.append(at)
            while posts[0] <= at - 1:
                posts.popleft()
            self._peak_second[key] = max(self._peak_second.get(key, 0), len(posts))

    def _rate_limit_wait(self, spec: MethodSpec, args: JSON, at: float) -> float:
        if spec.name == "chat.postMessage":
            key = f"chat.postMessage:{args.get('channel')}"
            rate, capacity = POSTS_PER_CHANNEL_PER_SECOND, float(POST_BURST)
        else:
            key = spec.name
            per_minute = TIER_PER_MINUTE.get(spec.tier, 100)
            # A minute's worth (at least 5) may come at once, then the sustained rate holds.
            rate, capacity = per_minute / 60, float(max(per_minute, 5))
        bucket = self._buckets.setdefault(key, _Bucket(rate, capacity, capacity, at))
        return bucket.take(at)

    # ------------------------------------------------------------------ Web API: auth, users

    def _acknowledge(self, args: JSON) -> JSON:
        return {}

    def _auth_test(self, args: JSON) -> JSON:
        return {
            "url": f"https://{self.team_domain}.slack.com/",
            "team": self.team_domain.capitalize(),
            "user": self.bot_name,
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _apps_connections_open(self, args: JSON) -> JSON:
        if self.socket is None:
            # The app's settings have Socket Mode off (the sandbox delivers over HTTP).
            raise ApiError("socket_mode_not_enabled")
        return {"url": self.socket.open_url()}

    def _bots_info(self, args: JSON) -> JSON:
        bot = _str(args, "bot") or self.bot_id
        if bot != self.bot_id:
            raise ApiError("bot_not_found")
        return {
            "bot": {
                "id": self.bot_id,
                "deleted": False,
                "name": self.bot_name,
                "updated": int(self._wall()),
                "app_id": self.app_id,
                "user_id": self.bot_user_id,
                "icons": {},
            }
        }

    def _users_info(self, args: JSON) -> JSON:
        user = self._users.get(_str(args, "user") or "")
        if user is None:
            raise ApiError("user_not_found")
        return {"user": self._api_user(user)}

    def _users_list(self, args: JSON) -> JSON:
        page, cursor = _paginate(list(self._users.values()), args, default_limit=100)
        return {
            "members": [self._api_user(u) for u in page],
            "cache_ts": int(self._wall()),
            "response_metadata": {"next_cursor": cursor},
        }

    # ------------------------------------------------------------------ Web API: conversations

    def _conversations_list(self, args: JSON) -> JSON:
        types = set((_str(args, "types") or "public_channel").split(","))
        exclude_archived = _bool(args, "exclude_archived")
        found = [
            c
            for c in self._channels.values()
            if _kind(c) in types and self._visible(c) and not (exclude_archived and c.is_archived)
        ]
        page, cursor = _paginate(found, args, default_limit=100)
        return {
            "channels": [self._api_channel(c) for c in page],
            "response_metadata": {"next_cursor": cursor},
        }

    def _conversations_info(self, args: JSON) -> JSON:
        return {"channel": self._api_channel(self._channel_arg(args))}

    def _conversations_join(self, args: JSON) -> JSON:
        channel = self._channel_arg(args)
        if channel.is_private or channel.is_im or channel.is_mpim:
            raise ApiError("method_not_supported_for_channel_type")
        if channel.is_archived:
            raise ApiError("is_archived")
        if self.bot_user_id in channel.members:
            return {
                "channel": self._api_channel(channel),
                "warning": "already_in_channel",
                "response_metadata": {"warnings": ["already_in_channel"]},
            }
        channel.members.append(self.bot_user_id)
        return {"channel": self._api_channel(channel)}

    def _conversations_create(self, args: JSON) -> JSON:
        name = _str(args, "name") or ""
        if not name:
            raise ApiError("invalid_name_required")
        if len(name) > 80:
            raise ApiError("invalid_name_maxlength")
        if re.fullmatch(r"[-_]+", name):
            raise ApiError("invalid_name_punctuation")
        if not CHANNEL_NAME.fullmatch(name):
            raise ApiError("invalid_name_specials")
        if self._channel_named(name) is not None:
            raise ApiError("name_taken")
        cid = self.add_channel(
            name, members=[self.bot_user_id], is_private=_bool(args, "is_private")
        )
        return {"channel": self._api_channel(self._channels[cid])}

    def _conversations_invite(self, args: JSON) -> JSON:
        channel = self._channel_arg(args)
        if self.bot_user_id not in channel.members:
            raise ApiError("not_in_channel")
        if channel.is_archived:
            raise ApiError("is_archived")
        users = [u.strip() for u in (_str(args, "users") or "").split(",") if u.strip()]
        errors: list[JSON] = []
        for user in users:
            if user == self.bot_user_id:
                errors.append({"user": user, "ok": False, "error": "cant_invite_self"})
            elif user not in self._users:
                errors.append({"user": user, "ok": False, "error": "user_not_found"})
            elif user in channel.members:
                errors.append({"user": user, "ok": False, "error": "already_in_channel"})
        if errors:
            raise ApiError(errors[0]["error"], errors=errors)
        channel.members.extend(u for u in dict.fromkeys(users))
        return {"channel": self._api_channel(channel)}

    def _conversations_members(self, args: JSON) -> JSON:
        channel = self._channel_arg(args)
        page, cursor = _paginate(channel.members, args, default_limit=100)
        return {"members": page, "response_metadata": {"next_cursor": cursor}}

    def _conversations_open(self, args: JSON) -> JSON:
        if is_present(args.get("channel")):
            channel = self._channel_arg(args)
            return {"channel": {"id": channel.id}, "no_op": True, "already_open": True}
        users = [u.strip() for u in (_str(args, "users") or "").split(",") if u.strip()]
        if any(u not in self._users for u in users):
            raise ApiError("user_not_found")
        others = [u for u in dict.fromkeys(users) if u != self.bot_user_id]
        if len(others) == 1:
            existed = self._im_of(others[0]) is not None
            channel = self._im_for(others[0])
        else:
            existed, channel = self._mpim_for(others)
        ref = self._api_channel(channel) if _bool(args, "return_im") else {"id": channel.id}
        answer: JSON = {"channel": ref}
        if existed:
            answer.update(no_op=True, already_open=True)
        return answer

    def _conversations_history(self, args: JSON) -> JSON:
        channel = self._readable_channel(args)
        messages = _in_range(channel.messages, args)[::-1]
        page, cursor = _paginate(messages, args, default_limit=100)
        metadata = _bool(args, "include_all_metadata")
        return {
            "messages": [self._api_message(m, include_metadata=metadata) for m in page],
            "has_more": bool(cursor),
            "pin_count": 0,
            "response_metadata": {"next_cursor": cursor},
        }

    def _conversations_replies(self, args: JSON) -> JSON:
        channel = self._readable_channel(args)
        message = self._index.get((channel.id, _str(args, "ts") or ""))
        if message is None:
            raise ApiError("thread_not_found")
        if message.thread_ts and message.thread_ts != message.ts:
            message = self._index[(channel.id, message.thread_ts)]
        thread = _in_range([message, *message.replies], args)
        page, cursor = _paginate(thread, args, default_limit=1000)
        metadata = _bool(args, "include_all_metadata")
        return {
            "messages": [self._api_message(m, include_metadata=metadata) for m in page],
            "has_more": bool(cursor),
            "response_metadata": {"next_cursor": cursor},
        }

    # ------------------------------------------------------------------ Web API: chat

    def _chat_post_message(self, args: JSON) -> JSON:
        channel = self._post_target(_str(args, "channel") or "")
        message = _Message(
            ts=self._next_ts(),
            channel=channel.id,
            user=self.bot_user_id,
            text=_str(args, "text") or _str(args, "markdown_text") or "",
            blocks=self._normalise_blocks(_json_list(args, "blocks")),
            attachments=_json_list(args, "attachments"),
            metadata=_json_dict(args, "metadata"),
            bot_id=self.bot_id,
        )
        thread_ts = _str(args, "thread_ts")
        if thread_ts and _bool(args, "reply_broadcast"):
            message.subtype = "thread_broadcast"
        self._store_message(channel, message, thread_ts)
        return {"channel": channel.id, "ts": message.ts, "message": self._api_message(message)}

    def _chat_update(self, args: JSON) -> JSON:
        channel = self._channel_arg(args)
        message = self._index.get((channel.id, _str(args, "ts") or ""))
        if message is None:
            raise ApiError("message_not_found")
        if message.user != self.bot_user_id:
            raise ApiError("cant_update_message")
        if is_present(args.get("text")) or is_present(args.get("markdown_text")):
            message.text = _str(args, "text") or _str(args, "markdown_text") or ""
        # Omitted blocks/attachments are kept; an empty list removes them (Slack's rule).
        if "blocks" in args:
            message.blocks = self._normalise_blocks(_json_list(args, "blocks"))
        if "attachments" in args:
            message.attachments = _json_list(args, "attachments")
        if "metadata" in args:
            message.metadata = _json_dict(args, "metadata")
        message.edited_ts = self._event_ts()
        return {
            "channel": channel.id,
            "ts": message.ts,
            "text": message.text,
            "message": self._api_message(message),
        }

    def _chat_post_ephemeral(self, args: JSON) -> JSON:
        channel = self._post_target(_str(args, "channel") or "", allow_users=False)
        user = _str(args, "user") or ""
        if user not in self._users:
            raise ApiError("user_not_found")
        if user not in channel.members:
            raise ApiError("user_not_in_channel")
        ts = self._next_ts()
        self._ephemerals.setdefault(user, []).append(
            {
                "channel": channel.id,
                "user": user,
                "ts": ts,
                "text": _str(args, "text") or "",
                "blocks": self._normalise_blocks(_json_list(args, "blocks")),
                "attachments": _json_list(args, "attachments"),
                "thread_ts": _str(args, "thread_ts"),
                "via": "chat.postEphemeral",
            }
        )
        return {"message_ts": ts}

    def _chat_get_permalink(self, args: JSON) -> JSON:
        channel = self._channel_arg(args)
        message = self._index.get((channel.id, _str(args, "message_ts") or ""))
        if message is None:
            raise ApiError("message_not_found")
        link = (
            f"https://{self.team_domain}.slack.com/archives/{channel.id}/"
            f"p{message.ts.replace('.', '')}"
        )
        if message.thread_ts and message.thread_ts != message.ts:
            link += f"?thread_ts={message.thread_ts}&cid={channel.id}"
        return {"channel": channel.id, "permalink": link}

    def _chat_delete(self, args: JSON) -> JSON:
        channel = self._channel_arg(args)
        message = self._index.get((channel.id, _str(args, "ts") or ""))
        if message is None:
            raise ApiError("message_not_found")
        if message.user != self.bot_user_id:
            raise ApiError("cant_delete_message")
        self._remove_message(channel, message)
        return {"channel": channel.id, "ts": message.ts}

    # ------------------------------------------------------------------ Web API: reactions

    def _reactions_get(self, args: JSON) -> JSON:
        if not is_present(args.get("channel")):
            raise ApiError("file_not_found")  # files are not modelled
        channel = self._readable_channel(args)
        message = self._index.get((channel.id, _str(args, "timestamp") or ""))
        if message is None:
            raise ApiError("message_not_found")
        full = _bool(args, "full")
        return {
            "type": "message",
            "channel": channel.id,
            "message": self._api_message(message, full_reactions=full),
        }

    def _reactions_add(self, args: JSON) -> JSON:
        message, name = self._reaction_target(args)
        users = message.reactions.setdefault(name, [])
        if self.bot_user_id in users:
            raise ApiError("already_reacted")
        users.append(self.bot_user_id)
        return {}

    def _reactions_remove(self, args: JSON) -> JSON:
        if not is_present(args.get("channel")):
            raise ApiError("file_not_found")
        message, name = self._reaction_target(args)
        users = message.reactions.get(name, [])
        if self.bot_user_id not in users:
            raise ApiError("no_reaction")
        users.remove(self.bot_user_id)
        if not users:
            del message.reactions[name]
        return {}

    def _reaction_target(self, args: JSON) -> tuple[_Message, str]:
        channel = self._readable_channel(args)
        message = self._index.get((channel.id, _str(args, "timestamp") or ""))
        if message is None:
            raise ApiError("message_not_found")
        name = _str(args, "name") or ""
        if not name or name.startswith(":") or name.endswith(":") or " " in name:
            raise ApiError("invalid_name")  # e.g. ":tada:": Slack wants the name without colons
        return message, name

    # ------------------------------------------------------------------ Web API: views

    def _views_open(self, args: JSON) -> JSON:
        user = self._use_trigger(args)
        view = self._store_view(_json_dict(args, "view") or {}, user)
        self._stacks[user] = [view["id"]]
        self._view_errors.pop(view["id"], None)
        return {"view": copy.deepcopy(view)}

    def _views_push(self, args: JSON) -> JSON:
        user = self._use_trigger(args)
        stack = self._stacks.setdefault(user, [])
        if len(stack) >= VIEW_STACK_MAX:
            raise ApiError("push_limit_reached")
        previous = stack[-1] if stack else None
        view = self._store_view(
            _json_dict(args, "view") or {},
            user,
            previous=previous,
            root=stack[0] if stack else None,
        )
        stack.append(view["id"])
        return {"view": copy.deepcopy(view)}

    def _views_update(self, args: JSON) -> JSON:
        view_id = _str(args, "view_id")
        if not view_id:
            external_id = _str(args, "external_id")
            view_id = next(
                (v["id"] for v in self._views.values() if v.get("external_id") == external_id),
                None,
            )
        if view_id is None or view_id not in self._views:
            raise ApiError("not_found")
        current = self._views[view_id]
        user = self._view_owner[view_id]
        if not self._is_on_screen(user, view_id):
            raise ApiError("not_found")  # the user closed it
        expected_hash = _str(args, "hash")
        if expected_hash and expected_hash != current["hash"]:
            raise ApiError("hash_conflict")
        new = _json_dict(args, "view") or {}
        if new.get("type") != current["type"]:
            raise ApiError("invalid_arguments")
        view = self._store_view(
            new,
            user,
            view_id=view_id,
            previous=current.get("previous_view_id"),
            root=current.get("root_view_id"),
        )
        self._view_errors.pop(view_id, None)
        return {"view": copy.deepcopy(view)}

    def _views_publish(self, args: JSON) -> JSON:
        user = _str(args, "user_id") or ""
        if user not in self._users:
            raise ApiError("user_not_found")
        current_id = self._homes.get(user)
        expected_hash = _str(args, "hash")
        if expected_hash and current_id and expected_hash != self._views[current_id]["hash"]:
            raise ApiError("hash_conflict")
        view = self._store_view(_json_dict(args, "view") or {}, user, view_id=current_id)
        self._homes[user] = view["id"]
        return {"view": copy.deepcopy(view)}

    def _use_trigger(self, args: JSON) -> str:
        trigger_id = _str(args, "trigger_id") or _str(args, "interactivity_pointer") or ""
        trigger = self._triggers.get(trigger_id)
        if trigger is None:
            raise ApiError("invalid_trigger_id")
        if trigger.used or self._clock() - trigger.issued_at > TRIGGER_TTL:
            raise ApiError("expired_trigger_id")
        trigger.used = True
        return trigger.user

    def _store_view(
        self,
        view: JSON,
        user: str,
        *,
        view_id: str | None = None,
        previous: str | None = None,
        root: str | None = None,
    ) -> JSON:
        external_id = view.get("external_id") or ""
        if external_id and any(
            v.get("external_id") == external_id and v["id"] != view_id for v in self._views.values()
        ):
            raise ApiError("duplicate_external_id")
        vid = view_id or self._new_id("V", taken=self._views)
        stored = copy.deepcopy(view)
        stored.update(
            id=vid,
            team_id=self.team_id,
            blocks=self._normalise_blocks(view.get("blocks") or []),
            private_metadata=view.get("private_metadata") or "",
            callback_id=view.get("callback_id") or "",
            external_id=external_id,
            state={"values": {}},
            hash=f"{int(self._wall())}.{secrets.token_hex(4)}",
            clear_on_close=bool(view.get("clear_on_close")),
            notify_on_close=bool(view.get("notify_on_close")),
            previous_view_id=previous,
            root_view_id=root or vid,
            app_id=self.app_id,
            app_installed_team_id=self.team_id,
            bot_id=self.bot_id,
        )
        self._views[vid] = stored
        self._view_owner[vid] = user
        return stored

    def _is_on_screen(self, user: str, view_id: str) -> bool:
        return view_id in self._stacks.get(user, []) or self._homes.get(user) == view_id

    # ------------------------------------------------------------------ Web API: files

    def _files_get_upload_url(self, args: JSON) -> JSON:
        try:
            length = int(args["length"])
        except (KeyError, TypeError, ValueError):
            raise ApiError("invalid_arguments") from None
        file = _File(
            id=self._new_id("F", taken=self._files), filename=str(args["filename"]), length=length
        )
        self._files[file.id] = file
        return {"upload_url": f"{self.base_url}/upload/{file.id}", "file_id": file.id}

    def _serve_upload(self, file_id: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
        with self._lock:
            at = self._clock()
            failure = self._next_failure("upload_url")
            file = self._files.get(file_id)
            if failure is not None and failure.status != 200:
                status, text = failure.status, "upload failed"
            elif file is None:
                status, text = 404, "file not found"
            else:
                if len(body) != file.length:
                    self._violate(
                        f"upload_url: {len(body)} bytes uploaded for {file.filename!r}, "
                        f"files.getUploadURLExternal said length={file.length}"
                    )
                file.content = body
                status, text = 200, f"OK - {len(body)}"
            self.calls.append(
                Call("upload_url", {"file_id": file_id, "bytes": len(body)}, status, None, at)
            )
        return status, {"Content-Type": "text/plain; charset=utf-8"}, text.encode()

    def _files_complete_upload(self, args: JSON) -> JSON:
        entries = _json_list(args, "files")
        files = []
        for entry in entries:
            if not isinstance(entry, dict):
                raise ApiError("invalid_arguments")
            file = self._files.get(str(entry.get("id")))
            if file is None or file.content is None:
                raise ApiError("file_not_found")
            files.append((file, str(entry.get("title") or file.filename)))
        channel_ids = [c for c in (_str(args, "channels") or "").split(",") if c]
        if is_present(args.get("channel_id")):
            channel_ids.insert(0, _str(args, "channel_id") or "")
        channels = [self._post_target(c) for c in channel_ids]
        comment = _str(args, "initial_comment")
        thread_ts = _str(args, "thread_ts")
        for file, title in files:
            file.title = title
            file.channels = [c.id for c in channels]
            file.initial_comment = comment
            file.thread_ts = thread_ts
            file.completed = True
        refs = [
            {"id": f.id, "name": f.filename, "title": f.title, "size": f.length} for f, _ in files
        ]
        for channel in channels:
            # Sharing a file posts a message carrying it, the comment as its text.
            message = _Message(
                ts=self._next_ts(),
                channel=channel.id,
                user=self.bot_user_id,
                text=comment or "",
                files=copy.deepcopy(refs),
                bot_id=self.bot_id,
            )
            self._store_message(channel, message, thread_ts)
        return {"files": refs}

    # ------------------------------------------------------------------ response_url

    def _serve_response_url(
        self, url_id: str, headers: Mapping[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        with self._lock:
            at = self._clock()
            failure = self._next_failure("response_url")
            try:
                payload = json.loads(body) if body else None
            except ValueError:
                payload = None
            status, answer = self._answer_response_url(url_id, payload, failure)
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

    def _answer_response_url(
        self, url_id: str, payload: object, failure: _Failure | None
    ) -> tuple[int, JSON]:
        target = self._response_urls.get(url_id)
        if target is None:
            self._violate(f"response_url: no such URL {url_id}")
            return 404, {"ok": False, "error": "invalid_url"}
        if self._clock() - target.issued_at > RESPONSE_URL_TTL:
            self._violate("response_url: used after 30 minutes")
            return 404, {"ok": False, "error": "expired_url"}
        if target.uses >= RESPONSE_URL_USES:
            self._violate(f"response_url: used more than {RESPONSE_URL_USES} times")
            return 404, {"ok": False, "error": "used_url"}
        if not isinstance(payload, dict):
            self._violate("response_url: body is not a JSON object")
            return 400, {"ok": False, "error": "invalid_payload"}
        if failure is not None and (failure.status != 200 or failure.error):
            return failure.status, {"ok": False, "error": failure.error or "internal_error"}
        target.uses += 1
        error = self._apply_message_response(target, payload, "response_url", via="response_url")
        if error is not None:
            return 400, {"ok": False, "error": error}
        return 200, {"ok": True}

    def _apply_message_response(
        self, target: _ResponseTarget, payload: JSON, where: str, *, via: str
    ) -> str | None:
        """Apply a response_url post (or a command's ack body); returns Slack's error, if any."""
        try:
            return self._apply_message_response_or_raise(target, payload, where, via=via)
        except ApiError as err:
            self._violate(f"{where}: {err.error}")
            return err.error

    def _apply_message_response_or_raise(
        self, target: _ResponseTarget, payload: JSON, where: str, *, via: str
    ) -> str | None:
        issues = check_message(where, payload)
        for issue in issues:
            self._violate(issue.message)
        refusals = [i for i in issues if i.error]
        if refusals:
            return refusals[0].error
        channel = self._channels[target.channel]
        original = self._index.get((channel.id, target.message_ts)) if target.message_ts else None
        ephemeral = (
            self._ephemeral(target.user, channel.id, target.message_ts)
            if target.message_ts and target.is_ephemeral
            else None
        )
        blocks = self._normalise_blocks(_json_list(payload, "blocks"))
        if target.message_ts and _bool(payload, "delete_original"):
            if original is not None:
                self._remove_message(channel, original)
            elif ephemeral is not None:
                self._ephemerals[target.user].remove(ephemeral)
            return None
        if target.message_ts and _bool(payload, "replace_original"):
            if original is not None:
                original.text = _str(payload, "text") or ""
                original.blocks = blocks
                return None
            if ephemeral is not None:
                ephemeral.update(text=_str(payload, "text") or "", blocks=blocks)
                return None
        if payload.get("response_type") == "in_channel":
            message = _Message(
                ts=self._next_ts(),
                channel=channel.id,
                user=self.bot_user_id,
                text=_str(payload, "text") or "",
                blocks=blocks,
                attachments=_json_list(payload, "attachments"),
                bot_id=self.bot_id,
            )
            self._store_message(channel, message, _str(payload, "thread_ts"))
            return None
        self._ephemerals.setdefault(target.user, []).append(
            {
                "channel": channel.id,
                "user": target.user,
                "ts": self._next_ts(),
                "text": _str(payload, "text") or "",
                "blocks": blocks,
                "attachments": _json_list(payload, "attachments"),
                "thread_ts": _str(payload, "thread_ts"),
                "via": via,
            }
        )
        return None

    # ------------------------------------------------------------------ interactivity helpers

    def _post_payload(self, payload: JSON) -> Response:
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        return self._deliver(body, "application/x-www-form-urlencoded")

    def _acked_in_time(self, what: str, response: Response) -> bool:
        if response.elapsed > ACK_DEADLINE:
            self._violate(
                f"{what}: the app answered after {response.elapsed:.2f} s; Slack gives up at "
                f"{ACK_DEADLINE:.0f} s (the user sees an error, events are retried)"
            )
            return False
        return True

    def _apply_submission_answer(
        self, user: str, view_id: str, response: Response, sent_hash: str
    ) -> None:
        if response.status != 200:
            return  # Slack shows the user an error and leaves the modal as it was
        stack = self._stacks.setdefault(user, [])
        where = f"view_submission {view_id} answer"
        if not response.body.strip():
            if view_id in stack:
                stack.remove(view_id)
            return
        answer = response.json
        if not isinstance(answer, dict):
            self._violate(f"{where}: body is neither empty nor a JSON object")
            return
        action = answer.get("response_action")
        if action is None:
            if view_id in stack:
                stack.remove(view_id)
        elif action == "errors":
            errors = answer.get("errors")
            if not isinstance(errors, dict) or not errors:
                self._violate(f"{where}: response_action=errors needs a non-empty errors object")
                return
            inputs = {
                b.get("block_id")
                for b in self._views[view_id]["blocks"]
                if b.get("type") == "input"
            }
            unknown = sorted(set(errors) - inputs)
            if unknown:
                # Slack refuses the whole answer: the user sees a generic error, not the fields'.
                self._violate(f"{where}: errors for block_ids {unknown} that are no input blocks")
                return
            self._view_errors[view_id] = {str(k): str(v) for k, v in errors.items()}
        elif action in ("update", "push"):
            new, issues = check_view(where, answer.get("view"), types=("modal",))
            for issue in issues:
                self._violate(issue.message)
            if new is None or any(i.error for i in issues):
                return
            current = self._views[view_id]
            if action == "update" and current["hash"] != sent_hash:
                # Slack applied this answer on arrival; a views.update the listener made after
                # acking reached the sandbox before the answer was applied here, and is newer.
                return
            if action == "update":
                self._store_view(
                    new,
                    user,
                    view_id=view_id,
                    previous=current.get("previous_view_id"),
                    root=current.get("root_view_id"),
                )
                self._view_errors.pop(view_id, None)
            elif len(stack) >= VIEW_STACK_MAX:
                self._violate(f"{where}: push beyond {VIEW_STACK_MAX} stacked views")
            else:
                pushed = self._store_view(new, user, previous=view_id, root=stack[0])
                stack.append(pushed["id"])
        elif action == "clear":
            stack.clear()
        else:
            self._violate(f"{where}: unknown response_action {action!r}")

    def _build_state(self, view: JSON, values: Mapping[str, object]) -> JSON:
        inputs = {b["block_id"]: b for b in view.get("blocks", []) if b.get("type") == "input"}
        unknown = sorted(set(values) - set(inputs))
        if unknown:
            raise ValueError(
                f"view {view['id']} has no input blocks {unknown}; it has {sorted(inputs)}"
            )
        state: JSON = {}
        for block_id, block in inputs.items():
            element = block["element"]
            value = values.get(block_id, _UNSET)
            state[block_id] = {element["action_id"]: _element_state(block_id, element, value)}
        return {"values": state}

    def _find_element(
        self,
        blocks: list[JSON],
        action_id: str,
        block_id: str | None,
        value: str | None,
        where: str,
    ) -> tuple[JSON, JSON]:
        found = [
            (block, element)
            for block in blocks
            for element in iter_elements(block)
            if element.get("action_id") == action_id
            and (block_id is None or block.get("block_id") == block_id)
        ]
        if len(found) > 1 and value is not None:
            found = [(b, e) for b, e in found if e.get("value") == value] or found
        if not found:
            shown = sorted({str(e.get("action_id")) for b in blocks for e in iter_elements(b)})
            raise ValueError(
                f"no element action_id={action_id!r}"
                + (f" in block {block_id!r}" if block_id else "")
                + f" in {where}; it shows {shown}"
            )
        if len(found) > 1:
            raise ValueError(
                f"{len(found)} elements with action_id={action_id!r} in {where}: "
                f"pass block_id (one of {[b.get('block_id') for b, _ in found]})"
            )
        return found[0]

    def _action(
        self, block: JSON, element: JSON, value: str | None, selected_option: str | None
    ) -> JSON:
        kind = element.get("type")
        action: JSON = {
            "type": kind,
            "action_id": element["action_id"],
            "block_id": block["block_id"],
            "action_ts": self._event_ts(),
        }
        if kind == "button":
            action["text"] = copy.deepcopy(element.get("text"))
            chosen = value if value is not None else element.get("value")
            if chosen is not None:
                action["value"] = chosen
            if element.get("style"):
                action["style"] = element["style"]
        elif kind in ("overflow", "static_select", "radio_buttons"):
            if selected_option is None:
                raise ValueError(f"{kind} {element['action_id']!r}: pass selected_option")
            action["selected_option"] = _find_option(element, selected_option, block["block_id"])
        elif kind in ("checkboxes", "multi_static_select"):
            chosen_values = [] if selected_option is None else [selected_option]
            action["selected_options"] = [
                _find_option(element, v, block["block_id"]) for v in chosen_values
            ]
        elif kind == "users_select":
            action["selected_user"] = value
        elif kind == "conversations_select":
            action["selected_conversation"] = value
        elif kind == "channels_select":
            action["selected_channel"] = value
        elif kind == "datepicker":
            action["selected_date"] = value
        elif value is not None:
            action["value"] = value
        return action

    def _reaction(
        self, user: str, channel: str, ts: str, emoji: str, *, added: bool, deliver: bool
    ) -> Response | None:
        name = emoji.strip(":")
        with self._lock:
            self._person(user)
            target = self._lookup(channel)
            message = self._message_in(target.id, ts)
            users = message.reactions.setdefault(name, [])
            if added == (user in users):
                state = "already reacted" if added else "has no reaction"
                raise ValueError(
                    f"{user} {state} :{name}: on {ts}; a Slack client would send nothing "
                    "(use redeliver() for duplicate events)"
                )
            if added:
                users.append(user)
            else:
                users.remove(user)
                if not users:
                    del message.reactions[name]
            if not deliver or self.bot_user_id not in target.members:
                return None
            event = {
                "type": "reaction_added" if added else "reaction_removed",
                "user": user,
                "reaction": name,
                "item": {"type": "message", "channel": target.id, "ts": ts},
                "item_user": message.user,
                "event_ts": self._event_ts(),
            }
        return self.send_event(event)

    # ------------------------------------------------------------------ ids and lookups

    def _new_id(
        self, prefix: str, *, taken: Mapping[str, object] | None = None, width: int = 4
    ) -> str:
        counter = self._counters.setdefault(prefix, itertools.count(1))
        while True:
            candidate = f"{prefix}{next(counter):0{width}d}"
            if taken is None or candidate not in taken:
                return candidate

    def _next_ts(self) -> str:
        """Message timestamps: real time, strictly increasing (they are message ids)."""
        micros = max(int(self._wall() * 1_000_000), self._last_ts + 1)
        self._last_ts = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _event_ts(self) -> str:
        return self._next_ts()

    def _issue_trigger(self, user: str) -> str:
        trigger_id = f"{int(self._wall())}.{self.team_id[1:]}.{secrets.token_hex(16)}"
        self._triggers[trigger_id] = _Trigger(user=user, issued_at=self._clock())
        return trigger_id

    def _issue_response_url(
        self,
        user: str,
        channel: str,
        *,
        message_ts: str | None = None,
        is_ephemeral: bool = False,
    ) -> str:
        url_id = secrets.token_urlsafe(16)
        self._response_urls[url_id] = _ResponseTarget(
            user=user,
            channel=channel,
            issued_at=self._clock(),
            message_ts=message_ts,
            is_ephemeral=is_ephemeral,
        )
        return f"{self.base_url}/response/{url_id}"

    def _person(self, user: str) -> _User:
        found = self._users.get(user)
        if found is None:
            raise ValueError(f"unknown user {user}: add_user() first")
        return found

    def _channel_named(self, name: str) -> _Channel | None:
        return next((c for c in self._channels.values() if c.name == name and not c.is_im), None)

    def _find_channel(self, ref: str) -> _Channel | None:
        """A channel by id, name or #name; a user id means the DM with that user."""
        if ref in self._channels:
            return self._channels[ref]
        if ref in self._users:
            return self._im_of(ref)
        return self._channel_named(ref.lstrip("#"))

    def _lookup(self, ref: str) -> _Channel:
        """For the test-facing API: like _find_channel, creating a DM on demand."""
        if ref in self._users:
            return self._im_for(ref)
        found = self._find_channel(ref)
        if found is None:
            raise KeyError(f"no channel {ref!r}")
        return found

    def _message_in(self, channel: str, ts: str) -> _Message:
        target = self._lookup(channel)
        found = self._index.get((target.id, ts))
        if found is None:
            raise KeyError(f"no message {ts} in {channel}")
        return found

    def _ephemeral(self, user: str, channel: str, ts: str | None) -> JSON | None:
        return next(
            (
                e
                for e in self._ephemerals.get(user, [])
                if e["channel"] == channel and e["ts"] == ts
            ),
            None,
        )

    def _ephemeral_showing(
        self, user: str, channel: str, action_id: str, block_id: str | None
    ) -> str:
        for ephemeral in reversed(self._ephemerals.get(user, [])):
            if ephemeral["channel"] == channel and any(
                element.get("action_id") == action_id
                for block in ephemeral["blocks"]
                if block_id is None or block.get("block_id") == block_id
                for element in iter_elements(block)
            ):
                return str(ephemeral["ts"])
        raise ValueError(f"{user} sees no ephemeral message in {channel} with {action_id!r}")

    def _im_of(self, user: str) -> _Channel | None:
        if user in self._channels and self._channels[user].is_im:
            return self._channels[user]
        return next((c for c in self._channels.values() if c.is_im and c.im_user == user), None)

    def _im_for(self, user: str) -> _Channel:
        found = self._im_of(user)
        if found is not None:
            return found
        self._person(user)
        channel = _Channel(
            id=self._new_id("D", taken=self._channels),
            name=user,
            is_private=True,
            created=int(self._wall()),
            creator=user,
            members=[user, self.bot_user_id],
            is_im=True,
            im_user=user,
        )
        self._channels[channel.id] = channel
        return channel

    def _mpim_for(self, users: list[str]) -> tuple[bool, _Channel]:
        members = sorted({*users, self.bot_user_id})
        for channel in self._channels.values():
            if channel.is_mpim and sorted(channel.members) == members:
                return True, channel
        names = "--".join(self._users[u].name for u in members)
        channel = _Channel(
            id=self._new_id("G", taken=self._channels),
            name=f"mpdm-{names}-1",
            is_private=True,
            created=int(self._wall()),
            creator=self.bot_user_id,
            members=members,
            is_mpim=True,
        )
        self._channels[channel.id] = channel
        return False, channel

    def _visible(self, channel: _Channel) -> bool:
        """Private conversations exist, for the bot, only if it is in them."""
        return not channel.is_private or self.bot_user_id in channel.members

    def _channel_arg(self, args: JSON, key: str = "channel") -> _Channel:
        """A channel named by id, as most methods require."""
        channel = self._channels.get(_str(args, key) or "")
        if channel is None or not self._visible(channel):
            raise ApiError("channel_not_found")
        return channel

    def _readable_channel(self, args: JSON) -> _Channel:
        channel = self._channel_arg(args)
        if self.bot_user_id not in channel.members:
            raise ApiError("not_in_channel")
        return channel

    def _post_target(self, ref: str, *, allow_users: bool = True) -> _Channel:
        """chat.postMessage takes an id, a name or (for the DM) a user id."""
        if allow_users and ref in self._users and ref != self.bot_user_id:
            return self._im_for(ref)
        channel = self._channels.get(ref) or self._channel_named(ref.lstrip("#"))
        if channel is None or not self._visible(channel):
            raise ApiError("channel_not_found")
        if channel.is_archived:
            raise ApiError("is_archived")
        if self.bot_user_id not in channel.members:
            raise ApiError("not_in_channel")
        return channel

    def _store_message(self, channel: _Channel, message: _Message, thread_ts: str | None) -> None:
        if thread_ts:
            parent = self._index.get((channel.id, thread_ts))
            if parent is None:
                raise ApiError("thread_not_found")
            if parent.thread_ts and parent.thread_ts != parent.ts:
                parent = self._index[(channel.id, parent.thread_ts)]
            message.thread_ts = parent.ts
            parent.replies.append(message)
            if message.subtype == "thread_broadcast":
                channel.messages.append(message)
        else:
            channel.messages.append(message)
        self._index[(channel.id, message.ts)] = message

    def _remove_message(self, channel: _Channel, message: _Message) -> None:
        if message in channel.messages:
            channel.messages.remove(message)
        if message.thread_ts and message.thread_ts != message.ts:
            parent = self._index.get((channel.id, message.thread_ts))
            if parent is not None and message in parent.replies:
                parent.replies.remove(message)
        self._index.pop((channel.id, message.ts), None)

    def _normalise_blocks(self, blocks: list[JSON]) -> list[JSON]:
        """Fill in block_id and action_id where the app left them out, as Slack does."""
        result = copy.deepcopy(blocks)
        for block in result:
            if not isinstance(block, dict):
                continue
            block.setdefault("block_id", secrets.token_urlsafe(4))
            for element in iter_elements(block):
                if element.get("type") in INPUT_ELEMENT_TYPES or element.get("type") in (
                    "button",
                    "overflow",
                    "workflow_button",
                ):
                    element.setdefault("action_id", secrets.token_urlsafe(4))
        return result

    # ------------------------------------------------------------------ representations

    def _team_ref(self) -> JSON:
        return {"id": self.team_id, "domain": self.team_domain}

    def _user_ref(self, user: _User) -> JSON:
        return {"id": user.id, "username": user.name, "name": user.name, "team_id": self.team_id}

    def _channel_label(self, channel: _Channel) -> str:
        if channel.is_im:
            return "directmessage"
        return "privategroup" if channel.is_private else channel.name

    def _api_user(self, user: _User) -> JSON:
        profile: JSON = {
            "real_name": user.real_name,
            "real_name_normalized": user.real_name,
            "display_name": user.name,
            "display_name_normalized": user.name,
            "team": self.team_id,
        }
        if user.id == self.bot_user_id:
            profile["bot_id"] = self.bot_id
        elif not user.is_bot:
            profile["email"] = f"{user.name}@example.org"
        return {
            "id": user.id,
            "team_id": self.team_id,
            "name": user.name,
            "deleted": False,
            "real_name": user.real_name,
            "tz": "UTC",
            "tz_label": "Coordinated Universal Time",
            "tz_offset": 0,
            "profile": profile,
            "is_admin": False,
            "is_owner": False,
            "is_bot": user.is_bot,
            "is_app_user": False,
            "updated": 1_700_000_000,
        }

    def _api_channel(self, channel: _Channel) -> JSON:
        if channel.is_im:
            return {
                "id": channel.id,
                "created": channel.created,
                "is_im": True,
                "is_org_shared": False,
                "user": channel.im_user,
                "is_user_deleted": False,
                "priority": 0,
            }
        return {
            "id": channel.id,
            "name": channel.name,
            "name_normalized": channel.name,
            "is_channel": not channel.is_mpim,
            "is_group": False,
            "is_im": False,
            "is_mpim": channel.is_mpim,
            "is_private": channel.is_private,
            "is_archived": channel.is_archived,
            "is_general": False,
            "is_shared": False,
            "is_ext_shared": False,
            "is_org_shared": False,
            "created": channel.created,
            "creator": channel.creator,
            "is_member": self.bot_user_id in channel.members,
            "num_members": len(channel.members),
            "topic": {"value": "", "creator": "", "last_set": 0},
            "purpose": {"value": "", "creator": "", "last_set": 0},
        }

    def _api_message(
        self, message: _Message, *, include_metadata: bool = True, full_reactions: bool = False
    ) -> JSON:
        out: JSON = {
            "type": "message",
            "ts": message.ts,
            "user": message.user,
            "text": message.text,
            "team": self.team_id,
        }
        if message.bot_id:
            out.update(bot_id=message.bot_id, app_id=self.app_id)
        if message.subtype:
            out["subtype"] = message.subtype
        if message.blocks:
            out["blocks"] = copy.deepcopy(message.blocks)
        if message.attachments:
            out["attachments"] = copy.deepcopy(message.attachments)
        if message.files:
            out["files"] = copy.deepcopy(message.files)
        if message.thread_ts:
            out["thread_ts"] = message.thread_ts
        if message.replies:
            users = list(dict.fromkeys(r.user for r in message.replies))
            out.update(
                thread_ts=message.ts,
                reply_count=len(message.replies),
                reply_users=users,
                reply_users_count=len(users),
                latest_reply=message.replies[-1].ts,
            )
        if message.edited_ts:
            out["edited"] = {"user": message.user, "ts": message.edited_ts}
        if message.reactions:
            # As on Slack, a long list of reacting users is cut (count stays whole) unless
            # reactions.get is asked for the full one.
            out["reactions"] = [
                {
                    "name": name,
                    "users": list(users) if full_reactions else list(users)[:REACTION_USERS_SHOWN],
                    "count": len(users),
                }
                for name, users in message.reactions.items()
            ]
        if include_metadata and message.metadata:
            out["metadata"] = copy.deepcopy(message.metadata)
        return out

    def _plain_message(self, message: _Message) -> JSON:
        return {
            "channel": message.channel,
            "ts": message.ts,
            "user": message.user,
            "bot_id": message.bot_id,
            "subtype": message.subtype,
            "text": message.text,
            "blocks": copy.deepcopy(message.blocks),
            "attachments": copy.deepcopy(message.attachments),
            "files": copy.deepcopy(message.files),
            "thread_ts": message.thread_ts,
            "metadata": copy.deepcopy(message.metadata),
            "edited": message.edited_ts is not None,
            "reactions": {name: list(users) for name, users in message.reactions.items()},
            "replies": [self._plain_message(r) for r in message.replies],
        }


# ---------------------------------------------------------------------- argument helpers


def _str(args: Mapping[str, Any], key: str) -> str | None:
    value = args.get(key)
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _bool(args: Mapping[str, Any], key: str) -> bool:
    return args.get(key) in (True, 1, "1", "true", "True")


def _json_list(args: Mapping[str, Any], key: str) -> list[Any]:
    value = args.get(key)
    if not is_present(value):
        return []
    try:
        parsed = parse_json_argument(value)
    except ValueError:
        raise ApiError("invalid_arguments") from None
    if not isinstance(parsed, list):
        raise ApiError("invalid_arguments")
    return parsed


def _json_dict(args: Mapping[str, Any], key: str) -> JSON | None:
    value = args.get(key)
    if not is_present(value):
        return None
    try:
        parsed = parse_json_argument(value)
    except ValueError:
        raise ApiError("invalid_arguments") from None
    if not isinstance(parsed, dict):
        raise ApiError("invalid_arguments")
    return parsed


def _paginate(
    items: list[T], args: Mapping[str, Any], *, default_limit: int
) -> tuple[list[T], str]:
    """Slack's cursor pagination; the cursor is opaque to the app (here: an offset)."""
    try:
        limit = int(args.get("limit") or default_limit)
    except (TypeError, ValueError):
        raise ApiError("invalid_limit") from None
    limit = min(limit if limit > 0 else default_limit, 1000)
    start = 0
    cursor = _str(args, "cursor")
    if cursor:
        try:
            start = int(base64.urlsafe_b64decode(cursor.encode()).decode().removeprefix("next:"))
        except ValueError:
            raise ApiError("invalid_cursor") from None
    end = start + limit
    next_cursor = (
        base64.urlsafe_b64encode(f"next:{end}".encode()).decode() if end < len(items) else ""
    )
    return items[start:end], next_cursor


def _ts_key(ts: str) -> int:
    seconds, _, fraction = ts.partition(".")
    return int(seconds) * 1_000_000 + int((fraction + "000000")[:6])


def _in_range(messages: list[_Message], args: Mapping[str, Any]) -> list[_Message]:
    """conversations.history/replies: oldest/latest bounds, exclusive unless inclusive."""
    inclusive = _bool(args, "inclusive")
    try:
        oldest = _ts_key(_str(args, "oldest") or "0")
        latest_arg = _str(args, "latest")
        latest = _ts_key(latest_arg) if latest_arg else None
    except ValueError:
        raise ApiError("invalid_ts_oldest") from None
    kept = []
    for message in messages:
        key = _ts_key(message.ts)
        if key < oldest or (key == oldest and not inclusive and oldest):
            continue
        if latest is not None and (key > latest or (key == latest and not inclusive)):
            continue
        kept.append(message)
    return kept


def _kind(channel: _Channel) -> str:
    if channel.is_im:
        return "im"
    if channel.is_mpim:
        return "mpim"
    return "private_channel" if channel.is_private else "public_channel"


def _options(element: Mapping[str, Any]) -> list[JSON]:
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options.extend(group.get("options") or [])
    return options


def _find_option(element: Mapping[str, Any], value: str, block_id: str) -> JSON:
    for option in _options(element):
        if option.get("value") == value:
            return copy.deepcopy(option)
    known = [o.get("value") for o in _options(element)]
    raise ValueError(f"{value!r} is not an option of {block_id!r}: {known}")


def _element_state(block_id: str, element: Mapping[str, Any], value: object) -> JSON:
    """The state.values entry Slack sends for an input element holding ``value``.

    An input the test leaves out holds its initial value, as in Slack, or nothing.
    """
    kind = str(element.get("type"))
    state: JSON = {"type": kind}
    unset = value is _UNSET
    if kind in ("plain_text_input", "email_text_input", "url_text_input", "number_input"):
        raw = element.get("initial_value") if unset else value
        state["value"] = None if raw is None else str(raw)
    elif kind == "rich_text_input":
        if unset:
            state["rich_text_value"] = copy.deepcopy(element.get("initial_value"))
        else:
            state["rich_text_value"] = {
                "type": "rich_text",
                "elements": [
                    {
                        "type": "rich_text_section",
                        "elements": [{"type": "text", "text": str(value)}],
                    }
                ],
            }
    elif kind in ("static_select", "radio_buttons"):
        if unset:
            state["selected_option"] = copy.deepcopy(element.get("initial_option"))
        else:
            state["selected_option"] = (
                None if value is None else _find_option(element, str(value), block_id)
            )
    elif kind == "external_select":
        if unset:
            state["selected_option"] = copy.deepcopy(element.get("initial_option"))
        else:
            state["selected_option"] = None if value is None else _external_option(str(value))
    elif kind in ("multi_static_select", "checkboxes", "multi_external_select"):
        if unset:
            state["selected_options"] = copy.deepcopy(element.get("initial_options") or [])
        else:
            chosen = _value_list(block_id, value)
            state["selected_options"] = [
                _external_option(v)
                if kind == "multi_external_select"
                else _find_option(element, v, block_id)
                for v in chosen
            ]
    elif kind in _SINGLE_PICKS:
        key, initial = _SINGLE_PICKS[kind]
        state[key] = element.get(initial) if unset else value
    elif kind in _MULTI_PICKS:
        key, initial = _MULTI_PICKS[kind]
        state[key] = list(element.get(initial) or []) if unset else _value_list(block_id, value)
    elif kind == "file_input":
        state["files"] = [] if unset else _value_list(block_id, value)
    else:
        raise ValueError(f"input {block_id!r}: element type {kind!r} is not supported")
    return state


_SINGLE_PICKS = {
    "users_select": ("selected_user", "initial_user"),
    "conversations_select": ("selected_conversation", "initial_conversation"),
    "channels_select": ("selected_channel", "initial_channel"),
    "datepicker": ("selected_date", "initial_date"),
    "timepicker": ("selected_time", "initial_time"),
    "datetimepicker": ("selected_date_time", "initial_date_time"),
}
_MULTI_PICKS = {
    "multi_users_select": ("selected_users", "initial_users"),
    "multi_conversations_select": ("selected_conversations", "initial_conversations"),
    "multi_channels_select": ("selected_channels", "initial_channels"),
}


def _value_list(block_id: str, value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValueError(f"input {block_id!r} takes several values: pass a list")
    return [str(v) for v in value]


def _external_option(value: str) -> JSON:
    return {"text": {"type": "plain_text", "text": value, "emoji": True}, "value": value}

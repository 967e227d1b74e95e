"""Socket Mode: the bot's WebSocket to Slack, and how it comes back after a fault.

Measured against the stand-in (bench/socket_reconnect.py): slack_sdk's built-in client with
Bolt's defaults needs ~1.1 s to ack the first envelope after Slack's ``refresh_requested``,
~8 s after a server close, and ~50 s to notice a connection that died without a close frame.
The `websocket-client` adapter reconnects in ~0.5 s after both, but never notices a dead
connection: slack_sdk runs it with a ping interval and no pong deadline. `PongCheckingClient`
gives it one, so a dead connection is noticed within ``PING_INTERVAL + PONG_TIMEOUT`` seconds.

Under the kickoff flood (bench/socket_flood.py) slack_sdk's client puts every envelope into
one FIFO queue before Bolt sees it, so a `/propose` waited behind thousands of reactions and
its trigger expired. Envelopes are routed as they arrive instead:
- slash commands, shortcuts, buttons and view submissions go to workers of their own, ahead
  of any event;
- Events API envelopes take the same fast path as in HTTP mode (`listeners.events.acknowledge`):
  recorded in the inbox, then acknowledged, without Bolt's dispatch; what the fast path does
  not take goes through Bolt;
- everything else (hello, disconnect) goes the way slack_sdk sends it.
"""

from __future__ import annotations

import json
import logging
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.socket_mode.websocket_client import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.socket_mode.interval_runner import IntervalRunner
from slack_sdk.socket_mode.websocket_client import SocketModeClient

from slackbot.listeners.payload import Malformed
from slackbot.request_shape import payload_problem

log = logging.getLogger("slackbot.socket_mode")

PING_INTERVAL = 4.0  # seconds between our pings
PONG_TIMEOUT = 2.0  # a ping unanswered this long means the connection is dead
# slack_sdk starts a new connection's receiving loop on a 0.5 s tick: half a second of every
# reconnection. A short tick costs one idle check per tick.
SESSION_TICK = 0.05
INTERACTIVE = ("slash_commands", "interactive")  # a person waits: their trigger dies in 3 s
INTERACTIVE_WORKERS = 4
EVENT_WORKERS = 8

EventAcker = Callable[[dict[str, Any]], bool]


class PongCheckingClient(SocketModeClient):
    """slack_sdk's websocket-client Socket Mode client, with a deadline for each pong, a
    faster start of each new connection, and one reconnection per refresh instead of two."""

    def __init__(
        self,
        *args: Any,
        pong_timeout: float = PONG_TIMEOUT,
        events: EventAcker | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.events = events
        self.interactive_workers = ThreadPoolExecutor(
            INTERACTIVE_WORKERS, thread_name_prefix="socket-interactive"
        )
        self.event_workers = ThreadPoolExecutor(EVENT_WORKERS, thread_name_prefix="socket-events")
        if pong_timeout >= self.ping_interval:
            raise ValueError("the pong timeout must be shorter than the ping interval")
        self.pong_timeout = pong_timeout
        self._started: weakref.WeakSet[Any] = weakref.WeakSet()
        self.current_session_runner.shutdown()
        self.current_session_runner = IntervalRunner(self._run_current_session, SESSION_TICK)
        self.current_session_runner.start()

    # Overrides slack_sdk's method (called in the receiving thread): route, don't queue.
    def enqueue_message(self, message: str) -> None:
        try:
            envelope = json.loads(message) if message.startswith("{") else None
        except ValueError:
            envelope = None
        kind = envelope.get("type") if isinstance(envelope, dict) else None
        if envelope is None or self.closed:
            super().enqueue_message(message)
        elif kind in INTERACTIVE:
            self.interactive_workers.submit(self.run_message_listeners, envelope, message)
        elif kind == "events_api":
            self.event_workers.submit(self._event, envelope, message)
        else:
            super().enqueue_message(message)

    def _event(self, envelope: dict[str, Any], message: str) -> None:
        """An Events API envelope: recorded and acknowledged by the fast path, else Bolt."""
        payload = envelope.get("payload")
        envelope_id = envelope.get("envelope_id")
        if self.events is not None and isinstance(payload, dict) and isinstance(envelope_id, str):
            try:
                taken = payload_problem(payload) is None and self.events(payload)
            except Malformed as exc:
                log.info("envelope_malformed type=events_api problem=%s", exc)
                taken = True  # acknowledged: Slack would only send it again
            except Exception:  # not recorded: no ack, so Slack sends it again
                log.exception("event_not_recorded")
                return
            if taken:
                self.send_socket_mode_response({"envelope_id": envelope_id})
                return
        self.run_message_listeners(envelope, message)

    def close(self) -> None:
        super().close()
        self.interactive_workers.shutdown(wait=False)
        self.event_workers.shutdown(wait=False)

    def is_connected(self) -> bool:
        # A session made a moment ago whose receiving loop has not started yet counts as
        # connected: otherwise the old session's close, arriving while the new one starts,
        # makes slack_sdk replace the new session with yet another (two URLs per refresh).
        session = self.current_session
        return session is not None and (session.sock is not None or session not in self._started)

    # Overrides slack_sdk's method of the same name, which calls run_forever without
    # ping_timeout; everything else is as there.
    def _run_current_session(self) -> None:
        session = self.current_session
        if session is None:
            return
        self._started.add(session)
        try:
            self.logger.info("socket_mode_receiving")
            session.run_forever(
                ping_interval=self.ping_interval,
                ping_timeout=self.pong_timeout,
                http_proxy_host=self.http_proxy_host,
                http_proxy_port=self.http_proxy_port,
                http_proxy_auth=self.http_proxy_auth,
                proxy_type=self.proxy_type,
            )
            self.logger.info("socket_mode_stopped_receiving")
        except Exception:
            self.logger.exception("socket_mode_session_failed")
            # Closing lets the monitor notice and reconnect.
            session.close()


class BotSocketModeHandler(SocketModeHandler):
    """Bolt's websocket-client handler, built on `PongCheckingClient`."""

    def __init__(
        self,
        app: App,
        app_token: str,
        *,
        web_client: WebClient | None = None,
        ping_interval: float = PING_INTERVAL,
        pong_timeout: float = PONG_TIMEOUT,
        concurrency: int = 10,
        events: EventAcker | None = None,
    ) -> None:
        # Not super().__init__: it would start a second client's threads only to drop it.
        self.app = app
        self.app_token = app_token
        self.client = PongCheckingClient(
            app_token=app_token,
            logger=log,
            web_client=web_client if web_client is not None else app.client,
            ping_interval=ping_interval,
            pong_timeout=pong_timeout,
            concurrency=concurrency,
            events=events,
        )
        self.client.socket_mode_request_listeners.append(self.handle)  # type: ignore[arg-type]


def socket_mode_handler(
    app: App, app_token: str, *, first_url: str | None = None, **options: Any
) -> BotSocketModeHandler:
    """The handler the bot runs; `first_url` is a WebSocket URL already issued by
    apps.connections.open (the start-up check), used for the first connection."""
    handler = BotSocketModeHandler(app, app_token, **options)
    if first_url:
        handler.client.wss_uri = first_url
    return handler


def run_socket_mode(
    app: App,
    app_token: str,
    *,
    first_url: str | None = None,
    events: EventAcker | None = None,
) -> None:
    """Serve over Socket Mode until the process is stopped (SIGTERM, Ctrl-C). `events`: the
    fast path for Events API envelopes (the same as HTTP mode's)."""
    handler = socket_mode_handler(app, app_token, first_url=first_url, events=events)
    log.info("socket_mode_starting")
    handler.connect()
    try:
        threading.Event().wait()
    finally:
        handler.close()

"""Slack's Socket Mode side, on loopback: the WebSocket the bot connects to with its app token.

`apps.connections.open` (app-level token only) hands out a one-use ``ws://127.0.0.1:…`` URL.
A connection gets ``hello``, then envelopes (``slash_commands``, ``interactive``,
``events_api``); each ack (``{"envelope_id": …, "payload": …}``) is recorded and handed back to
the request that sent the envelope, as the HTTP answer would be in HTTP mode.

Faults, as Slack and networks produce them:

- ``refresh(reason)``: Slack's ``{"type": "disconnect", "reason": "refresh_requested"}``; the
  old connection gets no new envelope and is closed shortly after;
- ``close_all()``: the server closes every connection with a close frame;
- ``kill_all()``: every TCP connection goes silent without a close frame (a relay between the
  bot and the server stops forwarding): only the client's pings can notice.

Envelopes wait (up to ``wait_for_connection`` seconds) for a live connection: the time a
reconnection takes is part of the time the person waits for their ack, as it is on Slack.

Uses the ``websockets`` package (a test dependency); the HTTP-mode stand-in does not need it.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

JSON = dict[str, Any]

# How long an old connection stays open after Slack asked the client to refresh it.
REFRESH_GRACE = 1.0


@dataclass
class SocketAck:
    envelope_id: str
    type: str
    payload: Any  # what the app sent back with its ack (None: a plain ack)
    elapsed: float  # from the moment Slack wanted to deliver until the ack arrived
    connection: int


@dataclass
class _Link:
    """One WebSocket connection, with the TCP relay in front of it."""

    number: int
    ticket: str
    ws: ServerConnection | None = None
    draining: bool = False  # asked to refresh: no new envelopes
    closed: threading.Event = field(default_factory=threading.Event)
    relay: _Relay | None = None


class _Relay:
    """Forwards bytes between the bot and the WebSocket server until `freeze()`, after which it
    swallows them and closes nothing: a connection that died without a word."""

    def __init__(
        self,
        client: socket.socket,
        upstream: tuple[str, int],
        on_ticket: Callable[[str, _Relay], None],
    ) -> None:
        self.client = client
        self.server = socket.create_connection(upstream)
        self.frozen = threading.Event()
        self.on_ticket = on_ticket
        for source, sink in ((self.client, self.server), (self.server, self.client)):
            threading.Thread(
                target=self._pump, args=(source, sink), name="socket-relay", daemon=True
            ).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        first = source is self.client
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if first:
                    # The upgrade request names the ticket: tie this relay to its link before
                    # the WebSocket server sees the request.
                    first = False
                    request_line = data.split(b"\r\n", 1)[0].decode("latin-1")
                    ticket = (
                        (
                            parse_qs(urlsplit(request_line.split(" ")[1]).query).get("ticket")
                            or [""]
                        )[0]
                        if " " in request_line
                        else ""
                    )
                    self.on_ticket(ticket, self)
                if not self.frozen.is_set():
                    sink.sendall(data)
        except OSError:
            pass
        if not self.frozen.is_set():
            self.close()

    def freeze(self) -> None:
        self.frozen.set()

    def close(self) -> None:
        for sock in (self.client, self.server):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()


class SocketModeServer:
    """The WebSocket endpoint of a FakeSlack; see the module docstring."""

    def __init__(
        self,
        *,
        app_id: str,
        host: str = "127.0.0.1",
        clock: Callable[[], float] = time.monotonic,
        wait_for_connection: float = 10.0,
        ack_timeout: float = 10.0,
    ) -> None:
        self.app_id = app_id
        self.host = host
        self.clock = clock
        self.wait_for_connection = wait_for_connection
        self.ack_timeout = ack_timeout
        self.acks: list[SocketAck] = []
        self.opened: list[float] = []  # when each connection said hello (clock)
        self._lock = threading.Condition()
        self._links: dict[str, _Link] = {}
        self._by_number: list[_Link] = []
        self._waiting: dict[str, tuple[threading.Event, list[Any]]] = {}
        self._server: Server | None = None
        self._relay_listener: socket.socket | None = None
        self._threads: list[threading.Thread] = []

    # --- lifecycle -----------------------------------------------------------------------
    def start(self) -> SocketModeServer:
        self._server = serve(self._handle, self.host, 0, ping_interval=None, compression=None)
        ws_port = self._server.socket.getsockname()[1]
        self._upstream = (self.host, ws_port)
        listener = socket.create_server((self.host, 0))
        self._relay_listener = listener
        self.port = listener.getsockname()[1]
        for target, name in ((self._server.serve_forever, "ws"), (self._accept, "relay")):
            thread = threading.Thread(target=target, name=f"socket-mode-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        with self._lock:
            links = list(self._by_number)
        for link in links:
            if link.relay is not None:
                link.relay.close()
        if self._relay_listener is not None:
            with contextlib.suppress(OSError):
                self._relay_listener.close()
        self._server.shutdown()
        self._server = None

    def _accept(self) -> None:
        assert self._relay_listener is not None
        while True:
            try:
                client, _ = self._relay_listener.accept()
            except OSError:
                return
            try:
                _Relay(client, self._upstream, self._tie_relay)
            except OSError:
                client.close()

    def _tie_relay(self, ticket: str, relay: _Relay) -> None:
        with self._lock:
            link = self._links.get(ticket)
            if link is not None and link.relay is None:
                link.relay = relay

    # --- apps.connections.open -------------------------------------------------------------
    def open_url(self) -> str:
        ticket = secrets.token_hex(8)
        with self._lock:
            link = _Link(number=len(self._by_number) + 1, ticket=ticket)
            self._links[ticket] = link
            self._by_number.append(link)
        return f"ws://{self.host}:{self.port}/link/?ticket={ticket}&app_id={self.app_id}"

    # --- one connection ------------------------------------------------------------------
    def _handle(self, ws: ServerConnection) -> None:
        path = ws.request.path if ws.request is not None else ""
        ticket = (parse_qs(urlsplit(path).query).get("ticket") or [""])[0]
        with self._lock:
            link = self._links.get(ticket)
            if link is None or link.ws is not None:
                link = None
            else:
                link.ws = ws
        if link is None:
            ws.close(code=1008, reason="invalid or used ticket")
            return
        ws.send(
            json.dumps(
                {
                    "type": "hello",
                    "num_connections": self.live_connections() + 1,
                    "debug_info": {"host": "sandbox", "approximate_connection_time": 18060},
                    "connection_info": {"app_id": self.app_id},
                }
            )
        )
        with self._lock:
            self.opened.append(self.clock())
            self._lock.notify_all()
        try:
            for raw in ws:
                self._on_message(raw)
        except ConnectionClosed:
            pass
        finally:
            link.closed.set()
            with self._lock:
                self._lock.notify_all()

    def _on_message(self, raw: str | bytes) -> None:
        try:
            message = json.loads(raw)
        except ValueError:
            return
        if not isinstance(message, dict):
            return
        envelope_id = str(message.get("envelope_id") or "")
        with self._lock:
            waiter = self._waiting.get(envelope_id)
        if waiter is not None:
            waiter[1].append(message)
            waiter[0].set()

    def _live(self) -> list[_Link]:
        return [
            link
            for link in self._by_number
            if link.ws is not None
            and not link.closed.is_set()
            and not link.draining
            and not (link.relay is not None and link.relay.frozen.is_set())
        ]

    def live_connections(self) -> int:
        with self._lock:
            return len(self._live())

    def wait_connected(self, timeout: float = 10.0, *, count: int = 1) -> None:
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self._live()) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no Socket Mode connection after {timeout} s")
                self._lock.wait(min(left, 0.05))

    # --- delivering ----------------------------------------------------------------------
    def deliver(self, kind: str, payload: JSON, *, retry_attempt: int = 0) -> SocketAck | None:
        """Send one envelope on the newest live connection and wait for its ack; None if no
        connection came up in time or the app never acked."""
        started = time.monotonic()
        envelope_id = secrets.token_hex(12)
        envelope: JSON = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
        }
        if kind == "events_api":
            envelope.update(
                retry_attempt=retry_attempt, retry_reason="" if not retry_attempt else "timeout"
            )
        event = threading.Event()
        answers: list[Any] = []
        with self._lock:
            self._waiting[envelope_id] = (event, answers)
        try:
            link = self._wait_link(started)
            if link is None or link.ws is None:
                return None
            try:
                link.ws.send(json.dumps(envelope))
            except ConnectionClosed:
                return None
            if not event.wait(self.ack_timeout):
                return None
        finally:
            with self._lock:
                self._waiting.pop(envelope_id, None)
        ack = SocketAck(
            envelope_id=envelope_id,
            type=kind,
            payload=answers[0].get("payload"),
            elapsed=time.monotonic() - started,
            connection=link.number,
        )
        with self._lock:
            self.acks.append(ack)
        return ack

    def _wait_link(self, started: float) -> _Link | None:
        deadline = started + self.wait_for_connection
        with self._lock:
            while True:
                live = self._live()
                if live:
                    return live[-1]
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._lock.wait(min(left, 0.02))

    # --- faults --------------------------------------------------------------------------
    def refresh(self, reason: str = "refresh_requested", grace: float = REFRESH_GRACE) -> None:
        """Slack's disconnect message on every live connection; each is closed `grace` later."""
        with self._lock:
            links = self._live()
            for link in links:
                link.draining = True
        for link in links:
            assert link.ws is not None
            with contextlib.suppress(ConnectionClosed):
                link.ws.send(
                    json.dumps(
                        {"type": "disconnect", "reason": reason, "debug_info": {"host": "sandbox"}}
                    )
                )
            timer = threading.Timer(grace, self._close_link, args=(link,))
            timer.daemon = True
            timer.start()

    def _close_link(self, link: _Link) -> None:
        if link.ws is not None:
            with contextlib.suppress(Exception):
                link.ws.close(code=1000, reason="refreshed")

    def close_all(self) -> None:
        """Close every connection with a close frame, as a Slack server going away does."""
        with self._lock:
            links = self._live()
            for link in links:
                link.draining = True
        for link in links:
            with contextlib.suppress(Exception):
                assert link.ws is not None
                link.ws.close(code=1001, reason="going away")

    def kill_all(self) -> None:
        """Every connection goes silent: no close frame, no FIN, no pong."""
        with self._lock:
            links = self._live()
            for link in links:
                if link.relay is not None:
                    link.relay.freeze()
            self._lock.notify_all()

"""Serving the app: HTTP mode under waitress, or Socket Mode.

HTTP mode answers `POST /slack/events` (commands, events and interactivity all arrive there,
signature-checked by Bolt) and `GET /healthz` for the host's health checks.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any, cast

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress.server import create_server

log = logging.getLogger("slackbot.server")

EVENTS_PATH = "/slack/events"
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def wsgi_app(app: App) -> WSGIApp:
    bolt = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        return bolt(environ, start_response)

    return application


class HttpServer:
    """waitress serving the app in a background thread (tests, the demo) or the foreground."""

    def __init__(self, app: App, host: str = "127.0.0.1", port: int = 0, threads: int = 8) -> None:
        # One host and port give a single TcpWSGIServer; the union type does not say so.
        self._server = cast(
            Any,
            create_server(
                wsgi_app(app), host=host, port=port, threads=threads, ident="community-week"
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


def run_socket_mode(app: App, app_token: str, *, first_url: str | None = None) -> None:
    """Serve over Socket Mode until the process is stopped (SIGTERM, Ctrl-C)."""
    from slackbot.socket_mode import socket_mode_handler

    handler = socket_mode_handler(app, app_token, first_url=first_url)
    log.info("socket_mode_starting")
    handler.connect()
    try:
        threading.Event().wait()
    finally:
        handler.close()

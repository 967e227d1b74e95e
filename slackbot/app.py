"""Building the Bolt app and the error handler every listener falls back on."""

from __future__ import annotations

import logging
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App, BoltResponse

from slackbot import listeners
from slackbot.listeners.errors import report_failure
from slackbot.runtime import Runtime

log = logging.getLogger("slackbot.app")


def build_app(rt: Runtime, *, listener_executor: Executor | None = None) -> App:
    """The Bolt app with every listener registered. Talks to Slack once (auth.test)."""
    settings = rt.settings
    app = App(
        client=rt.client,
        signing_secret=settings.SLACK_SIGNING_SECRET or "",
        # Signatures are checked on every HTTP request; Socket Mode needs none (the
        # connection itself is authenticated with the app-level token).
        request_verification_enabled=not settings.socket_mode,
        logger=logging.getLogger("slack_bolt"),
        listener_executor=listener_executor,
    )

    @app.error
    def on_error(error: Exception, body: dict[str, Any]) -> BoltResponse | None:
        report_failure(rt, error, body)
        return None

    listeners.register(app, rt)
    return app

"""Building the Bolt app: every listener registered, the work they defer wired to workers.

Listeners run before Bolt answers Slack (process_before_response): each one reads its payload,
answers what it can at once and records the rest in the inbox for the workers, all in a few
milliseconds, so no ack waits behind slow work and Bolt's own thread pool is never needed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from functools import partial
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

from slackbot import listeners
from slackbot.listeners.deferral import RUNTIME
from slackbot.listeners.error_handling import on_listener_error
from slackbot.services.runtime import Runtime

log = logging.getLogger("slackbot.app")


class _SameTokenNotice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment even when given a client, then warns
    that the token "will be unused". The bot gives Bolt its own client (retries, SLACK_API_URL)
    built with that same token, so the warning says nothing; a different token still warns."""

    def __init__(self, token: str | None) -> None:
        super().__init__()
        self.same = token is not None and os.environ.get("SLACK_BOT_TOKEN") == token

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            self.same and record.getMessage() == warning_client_prioritized_and_token_skipped()
        )


def build_app(rt: Runtime) -> App:
    """The Bolt app with every listener registered. Talks to Slack once (auth.test)."""
    settings = rt.settings
    bolt_log = logging.getLogger("slack_bolt")
    notice = _SameTokenNotice(rt.client.token)
    bolt_log.addFilter(notice)
    try:
        app = App(
            client=rt.client,
            signing_secret=settings.SLACK_SIGNING_SECRET or "",
            # Signatures are checked on every HTTP request (by the server, then by Bolt);
            # Socket Mode needs none (the connection is authenticated with the app token).
            request_verification_enabled=not settings.socket_mode,
            logger=bolt_log,
            process_before_response=True,
        )
    finally:
        bolt_log.removeFilter(notice)

    @app.middleware
    def provide_runtime(context: BoltContext, next: Callable[[], Any]) -> Any:
        context[RUNTIME] = rt
        return next()

    @app.error
    def on_error(error: Exception, body: dict[str, Any]) -> BoltResponse:
        return on_listener_error(rt, error, body)

    listeners.register(app)
    return app


def event_acker(rt: Runtime) -> Callable[[dict[str, Any]], bool]:
    """The HTTP layer's fast path for Events API callbacks (see listeners.events)."""
    return partial(listeners.events.acknowledge, rt)

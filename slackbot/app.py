"""Building the Bolt app and the error handler every listener falls back on."""

from __future__ import annotations

import logging
import os
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

from slackbot import listeners
from slackbot.listeners.errors import report_failure
from slackbot.runtime import Runtime

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


def build_app(rt: Runtime, *, listener_executor: Executor | None = None) -> App:
    """The Bolt app with every listener registered. Talks to Slack once (auth.test)."""
    settings = rt.settings
    bolt_log = logging.getLogger("slack_bolt")
    notice = _SameTokenNotice(rt.client.token)
    bolt_log.addFilter(notice)
    try:
        app = App(
            client=rt.client,
            signing_secret=settings.SLACK_SIGNING_SECRET or "",
            # Signatures are checked on every HTTP request; Socket Mode needs none (the
            # connection itself is authenticated with the app-level token).
            request_verification_enabled=not settings.socket_mode,
            logger=bolt_log,
            listener_executor=listener_executor,
        )
    finally:
        bolt_log.removeFilter(notice)

    @app.error
    def on_error(error: Exception, body: dict[str, Any]) -> BoltResponse | None:
        report_failure(rt, error, body)
        return None

    listeners.register(app, rt)
    return app

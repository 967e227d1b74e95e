"""Building the Bolt app and the error handler every listener falls back on."""

from __future__ import annotations

import logging
import uuid
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App, BoltResponse

from slackbot import listeners
from slackbot.runtime import Runtime
from slackbot.services.notify import dm

log = logging.getLogger("slackbot.app")

APOLOGY = (
    "Sorry, something went wrong on our side (reference {ref}). Nothing you had saved is lost; "
    "please try again in a minute, or tell an organizer with that reference."
)


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
        ref = uuid.uuid4().hex[:8]
        log.error(
            "listener_failed ref=%s type=%s",
            ref,
            body.get("type") or body.get("command"),
            exc_info=error,
        )
        user = body.get("user_id") or (body.get("user") or {}).get("id")
        if user is None and isinstance(body.get("event"), dict):
            user = body["event"].get("user")
        if isinstance(user, str) and body.get("type") != "event_callback":
            dm(rt.client, user, APOLOGY.format(ref=ref))
        return None

    listeners.register(app, rt)
    return app

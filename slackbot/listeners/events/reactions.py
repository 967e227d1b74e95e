"""`reaction_added` / `reaction_removed`: joining and leaving a team by reacting to its post.

Bolt acknowledges events before this runs. Duplicated deliveries (Slack retries, or none) are
dropped by event_id, and the state change itself is idempotent anyway.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App

from slackbot.runtime import Runtime
from slackbot.services.teams import apply_signal, signal_from_reaction

log = logging.getLogger("slackbot.reactions")


def register(app: App, rt: Runtime) -> None:
    def handle(body: dict[str, Any], event: dict[str, Any], *, added: bool) -> None:
        found = signal_from_reaction(rt, event, added=added)
        if found is None:
            return
        event_id = body.get("event_id")
        if event_id and rt.store.seen_event(str(event_id)):
            log.info("event_duplicate event_id=%s", event_id)
            return
        proposal, signal = found
        apply_signal(rt, proposal, signal)

    @app.event("reaction_added")
    def reaction_added(body: dict[str, Any], event: dict[str, Any]) -> None:
        handle(body, event, added=True)

    @app.event("reaction_removed")
    def reaction_removed(body: dict[str, Any], event: dict[str, Any]) -> None:
        handle(body, event, added=False)

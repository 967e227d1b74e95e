"""Events API subscriptions: one table, used by Bolt (Socket Mode, and HTTP for anything else)
and by the HTTP layer's fast path (`acknowledge`), which records the events the bot subscribes
to without Bolt's dispatch: under a flood of reactions that is most of an ack's cost."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App

from slackbot.listeners.deferral import RUNTIME
from slackbot.listeners.events.access import handle_access_revoked
from slackbot.listeners.events.app_home import handle_home_opened
from slackbot.listeners.events.channels import handle_channel_change, handle_user_change
from slackbot.listeners.events.reactions import handle_reaction
from slackbot.services.runtime import Runtime

EventListener = Callable[..., None]  # (body, event, context)

EVENT_LISTENERS: dict[str, EventListener] = {
    "reaction_added": handle_reaction,
    "reaction_removed": handle_reaction,
    "app_home_opened": handle_home_opened,
    "app_uninstalled": handle_access_revoked,
    "tokens_revoked": handle_access_revoked,
    "channel_rename": handle_channel_change,
    "group_rename": handle_channel_change,
    "channel_archive": handle_channel_change,
    "group_archive": handle_channel_change,
    "user_change": handle_user_change,
}


def register(app: App) -> None:
    for event_type, listener in EVENT_LISTENERS.items():
        app.event(event_type)(listener)


def acknowledge(rt: Runtime, body: dict[str, Any]) -> bool:
    """Record an Events API callback the way its listener does under Bolt; False if no
    listener takes its event (Bolt answers it then). The body's signature and shape are
    checked by the caller (the HTTP layer)."""
    event = body.get("event")
    if not isinstance(event, dict):
        return False
    listener = EVENT_LISTENERS.get(str(event.get("type")))
    if listener is None:
        return False
    listener(body, event, {RUNTIME: rt})
    rt.workers.request_seen()
    return True

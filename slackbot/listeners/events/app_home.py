"""`app_home_opened`: publish the person's Home tab (on the "home" lane)."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from slackbot.listeners.deferral import defer
from slackbot.listeners.payload import optional_text
from slackbot.services.home_pages import ShowHome
from slackbot.services.runtime import Runtime


def handle_home_opened(body: dict[str, Any], event: dict[str, Any], context: BoltContext) -> None:
    user = optional_text(event, "user")
    if optional_text(event, "tab") != "home" or not user:
        return
    event_id = optional_text(body, "event_id") or None
    defer(context, "home", {"user": user}, key=f"event:{event_id}" if event_id else None)


def show_home(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred: the person's Home tab, as it is now."""
    rt.bus.handle(ShowHome(str(request["user"])))

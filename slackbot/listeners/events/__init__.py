"""Events API subscriptions."""

from __future__ import annotations

from slack_bolt import App

from slackbot.listeners.events.app_home import handle_home_opened
from slackbot.listeners.events.reactions import handle_reaction


def register(app: App) -> None:
    app.event("reaction_added")(handle_reaction)
    app.event("reaction_removed")(handle_reaction)
    app.event("app_home_opened")(handle_home_opened)

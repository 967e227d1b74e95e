"""Events API subscriptions."""

from __future__ import annotations

from slack_bolt import App

from slackbot.listeners.events import app_home, reactions
from slackbot.runtime import Runtime


def register(app: App, rt: Runtime) -> None:
    reactions.register(app, rt)
    app_home.register(app, rt)

"""Button, menu and overflow clicks."""

from __future__ import annotations

from slack_bolt import App

from slackbot.listeners.actions import home, organizer_alert, proposal_menu, similar
from slackbot.runtime import Runtime


def register(app: App, rt: Runtime) -> None:
    organizer_alert.register(app, rt)
    home.register(app, rt)
    similar.register(app, rt)
    proposal_menu.register(app, rt)

"""Bolt listeners, one folder per Slack surface. Each module has `register(app, rt)`."""

from __future__ import annotations

from slack_bolt import App

from slackbot.listeners import actions, commands, events, shortcuts, views
from slackbot.runtime import Runtime


def register(app: App, rt: Runtime) -> None:
    for room in (commands, views, events, actions, shortcuts):
        room.register(app, rt)

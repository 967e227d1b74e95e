"""Slash commands."""

from __future__ import annotations

from slack_bolt import App

from slackbot.listeners.commands import organize, projects, propose
from slackbot.runtime import Runtime


def register(app: App, rt: Runtime) -> None:
    propose.register(app, rt)
    projects.register(app, rt)
    organize.register(app, rt)

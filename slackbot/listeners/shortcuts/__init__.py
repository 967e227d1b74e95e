"""Global and message shortcuts."""

from __future__ import annotations

from slack_bolt import App

from slackbot.listeners.shortcuts import propose_from_message
from slackbot.runtime import Runtime


def register(app: App, rt: Runtime) -> None:
    propose_from_message.register(app, rt)

"""Global and message shortcuts."""

from __future__ import annotations

from slack_bolt import App

from slackbot.listeners.shortcuts.propose_from_message import (
    CALLBACK_ID,
    handle_propose_from_message,
)


def register(app: App) -> None:
    app.shortcut(CALLBACK_ID)(handle_propose_from_message)

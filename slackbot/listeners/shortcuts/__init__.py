"""Global and message shortcuts."""

from __future__ import annotations

from slack_bolt import App

from slackbot.runtime import Runtime


def register(app: App, rt: Runtime) -> None:
    pass

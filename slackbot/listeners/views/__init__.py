"""Modal submissions."""

from __future__ import annotations

from slack_bolt import App

from slackbot.listeners.views import proposal_submission
from slackbot.runtime import Runtime


def register(app: App, rt: Runtime) -> None:
    proposal_submission.register(app, rt)

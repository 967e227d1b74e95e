"""Modal submissions."""

from __future__ import annotations

from slack_bolt import App

from slackbot.listeners.views.proposal_submission import (
    CALLBACK_ID,
    STEP_CALLBACK_ID,
    handle_post_anyway,
    handle_submission,
)


def register(app: App) -> None:
    app.view(CALLBACK_ID)(handle_submission)
    app.view(STEP_CALLBACK_ID)(handle_post_anyway)

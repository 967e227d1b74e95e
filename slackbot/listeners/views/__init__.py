"""Modal submissions."""

from __future__ import annotations

from slack_bolt import App

from slackbot.blocks.compute import HUB_CALLBACK, PROBLEM_CALLBACK, REPLY_CALLBACK
from slackbot.listeners.views import compute_forms
from slackbot.listeners.views.proposal_submission import (
    CALLBACK_ID,
    STEP_CALLBACK_ID,
    handle_post_anyway,
    handle_submission,
)


def register(app: App) -> None:
    app.view(CALLBACK_ID)(handle_submission)
    app.view(STEP_CALLBACK_ID)(handle_post_anyway)
    app.view(PROBLEM_CALLBACK)(compute_forms.handle_problem)
    app.view(REPLY_CALLBACK)(compute_forms.handle_reply)
    app.view(HUB_CALLBACK)(compute_forms.handle_hub)

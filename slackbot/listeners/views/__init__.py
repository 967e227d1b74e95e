"""Modal submissions."""

from __future__ import annotations

from slack_bolt import App

from slackbot.blocks.compute import HUB_CALLBACK, PROBLEM_CALLBACK, REPLY_CALLBACK
from slackbot.blocks.judging import CALLBACK_ID as SCORE_CALLBACK_ID
from slackbot.blocks.submission import CALLBACK_ID as DEMO_CALLBACK_ID
from slackbot.listeners.views import compute_forms
from slackbot.listeners.views.proposal_submission import (
    CALLBACK_ID,
    STEP_CALLBACK_ID,
    handle_post_anyway,
    handle_submission,
)
from slackbot.listeners.views.submission_form import (
    handle_demo_submission,
    handle_score_submission,
)


def register(app: App) -> None:
    app.view(CALLBACK_ID)(handle_submission)
    app.view(STEP_CALLBACK_ID)(handle_post_anyway)
    app.view(PROBLEM_CALLBACK)(compute_forms.handle_problem)
    app.view(REPLY_CALLBACK)(compute_forms.handle_reply)
    app.view(HUB_CALLBACK)(compute_forms.handle_hub)
    app.view(DEMO_CALLBACK_ID)(handle_demo_submission)
    app.view(SCORE_CALLBACK_ID)(handle_score_submission)

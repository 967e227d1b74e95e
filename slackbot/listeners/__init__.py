"""Bolt listeners, one folder per Slack surface, each with `register(app)`; and the work each
surface defers to after its ack (`deferred`), by name, with the lane it runs on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App

from slackbot.listeners import actions, commands, events, shortcuts, views
from slackbot.listeners.actions import (
    alert_buttons,
    before_you_post_buttons,
    compute_buttons,
    home_buttons,
    judging_buttons,
    proposal_menu,
    team_buttons,
)
from slackbot.listeners.commands import organize, projects, submit
from slackbot.listeners.events import app_home, channels, reactions
from slackbot.listeners.form_requests import open_form_now
from slackbot.listeners.views import compute_forms, proposal_submission, submission_form
from slackbot.services.runtime import Runtime

Deferred = Callable[[Runtime, dict[str, Any]], None]

# name -> (lane, function): the names are stored in the inbox, so they outlive a deploy.
DEFERRED: dict[str, tuple[str, Deferred]] = {
    "open_form": ("ui", open_form_now),
    "view_full": ("ui", proposal_menu.view_full),
    "similar_join": ("ui", before_you_post_buttons.join),
    "similar_back": ("ui", before_you_post_buttons.back),
    "projects_page": ("ui", projects.turn_page),
    "dashboard_page": ("home", home_buttons.dashboard_page),
    "post_proposal": ("post", proposal_submission.post_proposal),
    "reaction": ("events", reactions.apply_reaction),
    "home": ("home", app_home.show_home),
    "proposal_edited": ("default", proposal_submission.proposal_edited),
    "organize": ("default", organize.organize),
    "alert_decision": ("default", alert_buttons.decide),
    "request_decision": ("default", alert_buttons.decide_request),
    "withdraw": ("default", proposal_menu.withdraw),
    "leave": ("default", team_buttons.leave),
    "join": ("default", team_buttons.join),
    "ask_to_join": ("default", team_buttons.ask_to_join),
    "channel_changed": ("default", channels.apply_channel_change),
    "person_deactivated": ("default", channels.apply_person_deactivated),
    # compute and Hub access (issue 26)
    "compute_modal": ("ui", compute_buttons.open_modal),
    "compute_answer": ("default", compute_buttons.answer),
    "compute_regive": ("default", compute_buttons.regive),
    "compute_reply": ("default", compute_forms.send_reply),
    "hub_username": ("default", compute_forms.save_hub_username),
    "hub_remind": ("default", compute_buttons.remind),
    # The end of the week (issue 27).
    "open_demo_form": ("ui", submit.open_demo_form),
    "open_score_form": ("ui", judging_buttons.open_score_form),
    "announce_demo": ("post", submission_form.announce_demo),
    "remind_judges": ("default", judging_buttons.remind_judges),
}


def register(app: App) -> None:
    for room in (commands, views, events, actions, shortcuts):
        room.register(app)


# Work that is done many at a time in one transaction, the worker's unit of work, which marks
# it done too (a flood of reactions); each returns what to do once that commits (publish the
# events the batch raised).
BATCHED: dict[str, Callable[[Runtime, list[dict[str, Any]]], Callable[[], None]]] = {
    "reaction": reactions.apply_batch,
}

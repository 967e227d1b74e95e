"""Buttons of the similar-project step: join an existing team, or go back to the draft."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from slack_bolt import Ack, App

from slackbot.blocks.proposal_modal import proposal_modal, status_view
from slackbot.blocks.similar import BACK_ACTION, JOIN_ACTION, joined_view
from slackbot.domain.teams import BUTTON, Signal
from slackbot.listeners.errors import after_ack_reported
from slackbot.runtime import Runtime
from slackbot.services.teams import apply_signal

log = logging.getLogger("slackbot.similar")


def _state(view: dict[str, Any]) -> tuple[str, list[int]]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        data = {}
    return str(data.get("draft") or ""), [int(i) for i in data.get("seen") or []]


def register(app: App, rt: Runtime) -> None:
    @app.action(JOIN_ACTION)
    @after_ack_reported(rt)
    def join(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        user = body["user"]["id"]
        view = body["view"]
        key, seen = _state(view)
        proposal = rt.proposals.get(int(body["actions"][0]["value"]))
        change = None
        if proposal is not None and proposal.proposer_id != user:
            change = apply_signal(rt, proposal, Signal(user, BUTTON, True, time.time()))
        if proposal is None or change is None:
            outcome = status_view("Not open", "That project does not take members.")
        elif user in change.after.waitlist:
            outcome = status_view(
                "On the waitlist",
                "That team is full: you are on its waitlist and move up when someone leaves.",
            )
        else:
            log.info("joined_by_button proposal_id=%s user=%s", proposal.id, user)
            outcome = joined_view(proposal, draft_key=key, seen=seen)
        rt.client.views_update(view_id=view["id"], view=outcome)

    @app.action(BACK_ACTION)
    @after_ack_reported(rt)
    def back(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        user = body["user"]["id"]
        view = body["view"]
        key, seen = _state(view)
        draft = rt.proposals.held_draft(key, user)
        if draft is None:
            outcome = status_view("Draft not found", "That draft is gone. Please `/propose` again.")
        else:
            outcome = proposal_modal(draft, max_team=rt.settings.TEAM_SIZE_MAX, seen=seen)
        rt.client.views_update(view_id=view["id"], view=outcome)

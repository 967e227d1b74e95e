"""`/propose [project name]`: open the proposal modal.

views.open is the first thing done after ack: the trigger_id expires 3 s after Slack sent it.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk.errors import SlackApiError

from slackbot.blocks.proposal_modal import proposal_modal
from slackbot.domain.validation import Draft
from slackbot.listeners.errors import after_ack_reported
from slackbot.runtime import Runtime

log = logging.getLogger("slackbot.propose")


def open_proposal_modal(rt: Runtime, trigger_id: str, draft: Draft | None) -> str | None:
    """Open the modal; returns its view id, or None if the trigger expired."""
    try:
        view = proposal_modal(draft, max_team=rt.settings.TEAM_SIZE_MAX)
        response = rt.ui_client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as exc:
        log.warning("views_open_failed error=%s", exc.response.get("error"))
        return None
    return str(response["view"]["id"])


def register(app: App, rt: Runtime) -> None:
    @app.command("/propose")
    @after_ack_reported(rt)
    def propose(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        name = (body.get("text") or "").strip()
        draft = Draft(answers={"name": name}) if name else None
        view_id = open_proposal_modal(rt, body["trigger_id"], draft)
        if view_id is None:
            respond("Slack took too long to open the form. Please run `/propose` again.")
            return
        log.info("proposal_modal_opened user=%s view_id=%s", body["user_id"], view_id)

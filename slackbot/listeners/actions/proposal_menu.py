"""The proposer's menu (on the post and the Home tab) and the Home tab's Leave button.

Anyone can open the menu on a post; only the proposer's choice does anything, checked here.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, Respond

from slackbot.blocks.common import MENU_ACTION
from slackbot.listeners.commands.propose import open_proposal_modal
from slackbot.listeners.errors import after_ack_reported
from slackbot.listeners.replies import tell
from slackbot.runtime import Runtime
from slackbot.services import manage

log = logging.getLogger("slackbot.menu")


def register(app: App, rt: Runtime) -> None:
    @app.action(MENU_ACTION)
    @after_ack_reported(rt)
    def menu(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        user = body["user"]["id"]
        what, _, raw_id = str(body["actions"][0]["selected_option"]["value"]).partition(":")
        if not raw_id.isdigit():
            return
        proposal_id = int(raw_id)
        if what == "edit":
            # One indexed read before views.open: the trigger is good for 3 s, this takes < 1 ms,
            # and a stranger must not get the proposer's form.
            proposal = rt.proposals.get(proposal_id)
            if proposal is None or proposal.proposer_id != user:
                tell(rt, body, respond, manage.NOT_PROPOSER.format(what="edit"))
                return
            if (
                open_proposal_modal(rt, body["trigger_id"], proposal.draft, proposal_id=proposal_id)
                is None
            ):
                tell(rt, body, respond, "Slack took too long to open the form. Please try again.")
        elif what == "withdraw":
            tell(rt, body, respond, manage.withdraw(rt, proposal_id, user).message)

    @app.action("leave_team")
    @after_ack_reported(rt)
    def leave(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        outcome = manage.leave(rt, int(body["actions"][0]["value"]), body["user"]["id"])
        if not outcome.ok:
            tell(rt, body, respond, outcome.message)

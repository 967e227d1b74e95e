"""The ⋯ menu on the post and the Home tab.

Anyone can open the menu on a post and read the whole proposal; only the proposer's edit or
withdraw does anything, checked in the services for every call.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from slackbot.blocks.proposal_post import VIEW_FULL
from slackbot.blocks.replies import reply_text
from slackbot.listeners.deferral import defer
from slackbot.listeners.form_requests import SLOW, form_request
from slackbot.listeners.payload import number, optional_text, text, user_of
from slackbot.services.editing import Withdraw
from slackbot.services.form_opening import NotOpened, ProposalGone, ShowProposal
from slackbot.services.replies import Reply
from slackbot.services.runtime import Runtime


def handle_menu(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    choice = text(body, "actions", 0, "selected_option", "value")
    what, _, raw_id = choice.partition(":")
    proposal_id = number(raw_id)
    user = user_of(body)
    if what == VIEW_FULL:
        defer(context, "view_full", form_request(body, proposal_id=proposal_id), user=user)
    elif what == "edit":
        defer(context, "open_form", form_request(body, proposal_id=proposal_id), user=user)
    elif what == "withdraw":
        request = {
            "user": user,
            "proposal_id": proposal_id,
            "response_url": optional_text(body, "response_url"),
        }
        defer(context, "withdraw", request, user=user)
    ack()


def view_full(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred, on the "ui" lane (the trigger dies in 3 s): the whole proposal in a modal."""
    shown = rt.bus.handle(ShowProposal(str(request["trigger_id"]), int(request["proposal_id"])))
    if isinstance(shown, ProposalGone):
        rt.bus.handle(Reply(request, "That proposal is gone."))
    elif isinstance(shown, NotOpened):
        rt.bus.handle(Reply(request, SLOW))


def withdraw(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred: the proposer withdraws their proposal."""
    outcome = rt.bus.handle(Withdraw(str(request["user"]), int(request["proposal_id"])))
    rt.bus.handle(Reply(request, reply_text(outcome.said)))

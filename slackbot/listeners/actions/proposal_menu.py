"""The proposer's ⋯ menu (on the post and the Home tab) and the Home tab's Leave button.

Anyone can open the menu on a post; only the proposer's choice does anything, checked in the
services for every call.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from slackbot.listeners.deferral import defer
from slackbot.listeners.form_requests import form_request
from slackbot.listeners.payload import action_value, number, optional_text, text, user_of
from slackbot.listeners.replies import tell
from slackbot.services import editing
from slackbot.services.runtime import Runtime


def handle_menu(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    choice = text(body, "actions", 0, "selected_option", "value")
    what, _, raw_id = choice.partition(":")
    proposal_id = number(raw_id)
    user = user_of(body)
    if what == "edit":
        defer(context, "open_form", form_request(body, proposal_id=proposal_id), user=user)
    elif what == "withdraw":
        request = {
            "user": user,
            "proposal_id": proposal_id,
            "response_url": optional_text(body, "response_url"),
        }
        defer(context, "withdraw", request, user=user)
    ack()


def handle_leave(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    user = user_of(body)
    request = {
        "user": user,
        "proposal_id": number(action_value(body)),
        "response_url": optional_text(body, "response_url"),
    }
    defer(context, "leave", request, user=user)
    ack()


def withdraw(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred: the proposer withdraws their proposal."""
    outcome = editing.withdraw(rt, int(request["proposal_id"]), str(request["user"]))
    tell(rt, request, outcome.message)


def leave(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred: a member leaves a team from the Home tab."""
    outcome = editing.leave(rt, int(request["proposal_id"]), str(request["user"]))
    if not outcome.ok:
        tell(rt, request, outcome.message)

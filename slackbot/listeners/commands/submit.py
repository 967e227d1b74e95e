"""`/submit`, and the **Submit your demo** buttons (team channel, reminders, Home tab): open the
team's demo form, or say why not (ephemeral) and what to do."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, BoltContext

from slackbot.blocks.submission import submission_modal
from slackbot.listeners.deferral import defer
from slackbot.listeners.form_requests import SLOW, form_request
from slackbot.listeners.payload import action_value, number, optional_text
from slackbot.services.demo_submissions import OpenSubmission, Refused
from slackbot.services.form_opening import OpenView
from slackbot.services.replies import Reply
from slackbot.services.runtime import Runtime

log = logging.getLogger("slackbot.demos")


def handle_submit(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    request = form_request(body, channel=optional_text(body, "channel_id"))
    defer(context, "open_demo_form", request, user=request["user"])
    ack()


def handle_submit_button(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    value = action_value(body)
    team = None if value in ("", "mine") else number(value)
    request = form_request(body, proposal_id=team)
    defer(context, "open_demo_form", request, user=request["user"])
    ack()


def open_demo_form(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred (the "ui" lane): the form of the person's team, or the reason there is none."""
    team = request.get("proposal_id")
    command = OpenSubmission(
        str(request["user"]),
        proposal_id=team if isinstance(team, int) else None,
        channel=str(request.get("channel") or "") or None,
    )
    result = rt.bus.handle(command)
    if isinstance(result, Refused):
        rt.bus.handle(Reply(request, result.message))
        return
    view = submission_modal(result.proposal, result.existing, result.closes_at)
    opened = rt.bus.handle(OpenView(str(request["trigger_id"]), view))
    if opened is None:
        rt.bus.handle(Reply(request, SLOW))
        return
    log.info("demo_modal_opened user=%s proposal_id=%s", command.user, result.proposal.id)

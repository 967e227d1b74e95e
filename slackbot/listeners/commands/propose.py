"""`/propose [project name | pasted proposal]`: open the proposal form, with the name or with
each section of a pasted proposal filled in (see `listeners.form_requests`)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from slackbot.listeners.deferral import defer, runtime
from slackbot.listeners.form_requests import form_request
from slackbot.listeners.payload import optional_text
from slackbot.services.deadlines import closed_to_proposals
from slackbot.services.form_opening import looks_pasted


def handle_propose(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    closed = closed_to_proposals(runtime(context).settings)
    if closed:
        ack(response_type="ephemeral", text=closed)
        return
    text = optional_text(body, "text")
    request = (
        form_request(body, message=text)
        if looks_pasted(text)
        else form_request(body, name=text.strip())
    )
    defer(context, "open_form", request, user=request["user"])
    ack()

"""`/propose [project name]`: open the proposal form (see `listeners.forms`)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from slackbot.listeners.deferral import defer, runtime
from slackbot.listeners.form_requests import form_request
from slackbot.listeners.payload import optional_text
from slackbot.services.deadlines import proposals_closed


def handle_propose(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    closed = proposals_closed(runtime(context))
    if closed:
        ack(response_type="ephemeral", text=closed)
        return
    request = form_request(body, name=optional_text(body, "text").strip())
    defer(context, "open_form", request, user=request["user"])
    ack()

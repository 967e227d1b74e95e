"""Message shortcut "Propose a project": the form, prefilled with the message's text."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from slackbot.listeners.deferral import defer
from slackbot.listeners.form_requests import form_request
from slackbot.listeners.payload import optional_text

CALLBACK_ID = "propose_from_message"


def handle_propose_from_message(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    request = form_request(body, message=optional_text(body, "message", "text"))
    defer(context, "open_form", request, user=request["user"])
    ack()

"""The Home tab's "Propose a project" button."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from slackbot.listeners.forms import form_request
from slackbot.listeners.work import defer


def handle_home_propose(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    request = form_request(body)
    defer(context, "open_form", request, user=request["user"])
    ack()

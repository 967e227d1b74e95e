"""The Home tab's "Propose a project" button."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from slackbot.listeners.deferral import defer
from slackbot.listeners.form_requests import form_request


def handle_home_propose(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    request = form_request(body)
    defer(context, "open_form", request, user=request["user"])
    ack()

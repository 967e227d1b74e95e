"""Answering a click where it happened."""

from __future__ import annotations

from typing import Any

from slack_bolt import Respond

from slackbot.runtime import Runtime
from slackbot.services.notify import dm


def tell(rt: Runtime, body: dict[str, Any], respond: Respond, text: str) -> None:
    """An ephemeral answer where the click happened; from the Home tab or a modal (no
    response_url), a DM."""
    if body.get("response_url"):
        respond(text=text, response_type="ephemeral", replace_original=False)
    else:
        dm(rt.client, body["user"]["id"], text)

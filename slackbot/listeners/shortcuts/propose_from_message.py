"""Message shortcut "Propose a project from this message": /propose, prefilled."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from slackbot.domain.template import SECTIONS_BY_ID
from slackbot.domain.validation import Draft
from slackbot.listeners.commands.propose import open_proposal_modal, warn_if_similar
from slackbot.listeners.errors import after_ack_reported
from slackbot.runtime import Runtime

CALLBACK_ID = "propose_from_message"


def draft_from_message(text: str) -> Draft:
    """The first line is the name (if it is short enough), the whole text the description."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    name_max = SECTIONS_BY_ID["name"].max_length
    name = lines[0] if lines and len(lines[0]) <= name_max else ""
    return Draft(
        answers={
            "name": name,
            "description": text.strip()[: SECTIONS_BY_ID["description"].max_length],
        }
    )


def register(app: App, rt: Runtime) -> None:
    @app.shortcut(CALLBACK_ID)
    @after_ack_reported(rt)
    def propose_from_message(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        draft = draft_from_message(str((body.get("message") or {}).get("text") or ""))
        opened = open_proposal_modal(rt, body["trigger_id"], draft)
        if opened is not None and draft.get("name"):
            warn_if_similar(rt, opened, draft, body["user"]["id"])

"""Buttons on the Home tab that are not organizer actions."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from slackbot.listeners.commands.propose import open_proposal_modal
from slackbot.listeners.errors import after_ack_reported
from slackbot.runtime import Runtime


def register(app: App, rt: Runtime) -> None:
    @app.action("home_propose")
    @after_ack_reported(rt)
    def propose_from_home(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        open_proposal_modal(rt, body["trigger_id"], None)

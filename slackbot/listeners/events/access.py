"""`app_uninstalled` and `tokens_revoked`: Slack no longer lets the bot act in the workspace."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from slackbot.listeners.deferral import runtime
from slackbot.listeners.payload import mapping, optional_text
from slackbot.services.slack_access import AccessRevoked


def handle_access_revoked(
    body: dict[str, Any], event: dict[str, Any], context: BoltContext
) -> None:
    kind = optional_text(event, "type")
    if kind == "tokens_revoked" and not mapping(event, "tokens").get("bot"):
        return  # a person's token, not the bot's: the bot still acts
    runtime(context).bus.handle(AccessRevoked(kind))

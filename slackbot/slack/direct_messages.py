"""Direct messages and ephemeral notes to people, never raising: a note that cannot be
delivered is logged, and what caused it is already stored."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

log = logging.getLogger("slackbot.notify")

DELIVERY_ERRORS: tuple[type[BaseException], ...] = (SlackClientError, OSError)


def dm(
    client: WebClient, user_id: str, text: str, blocks: list[dict[str, Any]] | None = None
) -> str | None:
    """Send a direct message from the bot; returns its ts, or None if Slack refused."""
    try:
        response = client.chat_postMessage(
            channel=user_id, text=text, blocks=blocks, unfurl_links=False
        )
    except DELIVERY_ERRORS as exc:
        log.warning("dm_failed user=%s error=%s", user_id, exc)
        return None
    return str(response["ts"])


def ephemeral(client: WebClient, channel: str, user_id: str, text: str) -> None:
    try:
        client.chat_postEphemeral(channel=channel, user=user_id, text=text)
    except DELIVERY_ERRORS as exc:
        log.warning("ephemeral_failed user=%s channel=%s error=%s", user_id, channel, exc)

"""The History port (`slackbot.services.ports`) over the budgeted background client: each
call waits for its budget; what Slack refuses, or a network that fails, is SlackUnreachable."""

from __future__ import annotations

from typing import Any

from slackbot.domain.delivery import SlackUnreachable
from slackbot.slack.budgets import BudgetedClient
from slackbot.slack.direct_messages import DELIVERY_ERRORS


class SlackHistory:
    def __init__(self, client: BudgetedClient) -> None:
        self.client = client

    def page(
        self,
        channel: str,
        *,
        cursor: str | None = None,
        oldest: str | None = None,
        limit: int = 200,
        with_metadata: bool = False,
    ) -> dict[str, Any]:
        asked: dict[str, Any] = {"channel": channel, "limit": limit, "cursor": cursor}
        if oldest is not None:
            asked.update(oldest=oldest, inclusive=True)
        if with_metadata:
            asked["include_all_metadata"] = True
        try:
            page = self.client.conversations_history(**asked)
        except DELIVERY_ERRORS as exc:
            raise SlackUnreachable(str(exc)) from exc
        return {key: page.get(key) for key in ("messages", "has_more", "response_metadata")}

    def reactions(self, channel: str, ts: str) -> list[dict[str, Any]]:
        try:
            response = self.client.reactions_get(channel=channel, timestamp=ts, full=True)
        except DELIVERY_ERRORS as exc:
            raise SlackUnreachable(str(exc)) from exc
        return list((response.get("message") or {}).get("reactions") or [])

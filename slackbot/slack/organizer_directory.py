"""Who the organizers are: the people in ORGANIZER_IDS, and the members of ORGANIZERS_CHANNEL.

A private #organizers channel is how organizer teams already work: whoever is in it may make
teams official. Its members are read with conversations.members (Tier 4) at start-up and then
every minute by a background job, never while a request waits for its ack.
"""

from __future__ import annotations

import logging
import threading

from slack_sdk import WebClient

from slackbot.slack.direct_messages import DELIVERY_ERRORS

log = logging.getLogger("slackbot.organizers")


class Organizers:
    def __init__(
        self, ids: list[str], channel_id: str | None, client: WebClient, bot_user_id: str
    ) -> None:
        self.ids = frozenset(ids)
        self.channel_id = channel_id
        self.client = client
        self.bot_user_id = bot_user_id
        self._members: frozenset[str] = frozenset()
        self._lock = threading.Lock()

    def is_organizer(self, user_id: str) -> bool:
        return user_id in self.ids or user_id in self._members

    def everyone(self) -> set[str]:
        """Every organizer (for refreshing their Home tabs)."""
        return set(self.ids | self._members)

    def alert_targets(self) -> list[str]:
        """Where alerts go: the organizers' channel (one message), or each organizer's DM."""
        return [self.channel_id] if self.channel_id else sorted(self.ids)

    def refresh(self) -> bool:
        """Read the organizers' channel's members again; False if Slack could not say."""
        if self.channel_id is None:
            return True
        members: set[str] = set()
        cursor = None
        try:
            while True:
                page = self.client.conversations_members(
                    channel=self.channel_id, limit=200, cursor=cursor
                )
                members.update(page.get("members") or [])
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    break
        except DELIVERY_ERRORS as exc:
            log.warning("organizers_refresh_failed channel=%s error=%s", self.channel_id, exc)
            return False
        members.discard(self.bot_user_id)
        with self._lock:
            changed = members != self._members
            self._members = frozenset(members)
        if changed:
            log.info("organizers_refreshed channel=%s members=%s", self.channel_id, len(members))
        return True

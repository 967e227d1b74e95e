"""The Slack the use cases see: a few verbs, no payloads. `slackbot.slack.messenger` is the
adapter over the budgeted Web API client; the fast tests use a hand-written fake
(`tests/fakes.py`). A verb answers None/False when Slack could not be reached or refused: the
change that caused the message is already stored, and whoever retries asks again."""

from __future__ import annotations

from typing import Any, Protocol

from slackbot.domain.delivery import Delivery, SlackUnreachable

Blocks = list[dict[str, Any]]
__all__ = ["Delivery", "History", "Messenger", "SlackUnreachable"]


class History(Protocol):
    """Reading a channel back (the reconciliation's reactions, the rebuild's records): each
    page waits for its Tier 3 budget; a failure raises SlackUnreachable."""

    def page(
        self,
        channel: str,
        *,
        cursor: str | None = None,
        oldest: str | None = None,
        limit: int = 200,
        with_metadata: bool = False,
    ) -> dict[str, Any]:
        """One page of conversations.history: {"messages", "has_more", "response_metadata"}."""

    def reactions(self, channel: str, ts: str) -> list[dict[str, Any]]:
        """Every reaction on one message, each with all its users (reactions.get, full)."""


class Messenger(Protocol):
    def post(
        self,
        channel: str,
        text: str,
        blocks: Blocks | None = None,
        thread_ts: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> str | None:
        """Post a message (carrying `metadata`, {"event_type", "event_payload"}, to be found
        again); its ts, or None if it could not be."""

    def update(self, channel: str, ts: str, text: str, blocks: Blocks | None = None) -> bool:
        """Rewrite a message the bot posted."""

    def post_checked(
        self, channel: str, text: str, blocks: Blocks, metadata: dict[str, Any]
    ) -> Delivery:
        """Post a message that must be posted once (no link previews): its ts, or why not."""

    def update_checked(
        self, channel: str, ts: str, text: str, blocks: Blocks, metadata: dict[str, Any]
    ) -> Delivery:
        """Rewrite a message and its metadata: its ts, or why not."""

    def dm(
        self,
        user: str,
        text: str,
        blocks: Blocks | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> str | None:
        """A direct message from the bot (carrying `metadata` to be found again); its ts, or
        None."""

    def ephemeral(self, channel: str, user: str, text: str, blocks: Blocks | None = None) -> None:
        """A note only `user` sees, in `channel`."""

    def invite(self, channel: str, users: list[str]) -> bool:
        """Add people to a channel the bot is in (those already there are no error)."""

    def find_marked(
        self,
        channel: str,
        *,
        since: float,
        event_type: str,
        payload: dict[str, Any],
        thread_ts: str | None = None,
    ) -> tuple[bool, str | None]:
        """A message the bot posted after `since` in `channel` (a user id: the bot's DM with
        them; in `thread_ts`'s thread if given) whose metadata has `event_type` and
        `payload`'s values: (Slack answered, its ts or None). An attempt whose answer was lost
        looks before posting again."""

    def may_send(self, method: str, channel: str | None = None) -> bool:
        """Is there room in `method`'s rate budget now (spent if so)? Work that can wait
        asks first, so a burst never makes Slack answer 429."""

    def is_private(self, channel: str) -> bool:
        """Is this a private channel (False when Slack cannot say: secrets are sent only
        where it is sure)?"""

    def publish_home(self, user: str, view: dict[str, Any]) -> bool:
        """Show `view` as the person's Home tab (False: Slack refused or could not be
        reached)."""

    def post_delivered(
        self, channel: str, text: str, blocks: Blocks, thread_ts: str | None = None
    ) -> Delivery:
        """Post a message (in `thread_ts`'s thread if given): its ts, or why not (the caller
        tells a thread gone from another failure)."""

    def pin(self, channel: str, ts: str) -> bool:
        """Pin a message the bot posted (False: it stays unpinned)."""

    def user_info(self, user: str) -> tuple[dict[str, Any] | None, str | None]:
        """A person's Slack profile (users.info), or why not: (None, Slack's error code or the
        failure)."""

    def channel_members(
        self, channel: str, cursor: str | None, limit: int
    ) -> tuple[list[str], str] | None:
        """One page of a channel's members and the cursor of the next ("" at the end); None
        if Slack could not say."""

    def upload(self, user: str, content: str, *, filename: str, title: str, comment: str) -> str:
        """Upload a file into the person's DM with the bot; its file id. Unlike the other
        verbs it raises what Slack raised: the work that asked for it is tried again."""

    def send(
        self,
        channel: str,
        text: str,
        blocks: Blocks | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> Delivery:
        """Post a message (a DM, to a user id) whose outcome the caller keeps: its ts and the
        channel it landed in, or why not (Slack's refusal has a status; a failure to reach
        Slack has none; `delivery.ACCESS_LOST` when the bot may no longer act)."""

    def open_dm(self, user: str) -> str | None:
        """The id of the bot's DM with `user` (None: Slack could not say)."""

    def access_lost(self) -> str | None:
        """Why Slack no longer lets the bot act (None: it does)."""

    def lose_access(self, reason: str) -> None:
        """Slack said the bot may no longer act: stop writing (said once)."""

    def create_channel(self, name: str) -> tuple[str | None, str | None]:
        """Create a public channel named `name`: (its id, None), or (None, why not: Slack's
        error code, e.g. "name_taken", or the failure's name)."""

    def is_person(self, user: str) -> bool:
        """A member of the workspace (not a bot, not deactivated), as Slack says (users.info):
        False when Slack refuses; a failure to reach Slack is raised (the work is retried)."""


class Views(Protocol):
    """Modals. `open` uses the trigger-time client, which never retries (the trigger_id dies
    3 s after Slack sent it: sleeping through a retry only lets it die); the updates use the
    background client, which may wait its turn."""

    def open(self, trigger_id: str, view: Any) -> dict[str, Any] | None:
        """views.open at once: the opened view (its id, hash...), or None if Slack refused
        (the trigger expired, or Slack is down)."""

    def update(self, view_id: str, view: Any) -> None:
        """Show `view` in an open modal; a failure is raised (the deferred work that asked is
        tried again)."""

    def update_unless_changed(self, view_id: str, view_hash: str | None, view: Any) -> bool:
        """Show `view` unless the modal changed since `view_hash` (None: whatever it shows
        now); False, never raised: Slack refused, the person typed meanwhile or closed it."""

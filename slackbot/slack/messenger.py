"""The Messenger port (`slackbot.services.ports`) over the budgeted Web API client: each verb
waits for its budget, and a message that cannot be delivered is logged by name and answered
with None/False, never raised."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from slackbot.domain.delivery import ACCESS_LOST, Delivery
from slackbot.slack.budgets import AccessLost, BudgetedClient
from slackbot.slack.direct_messages import DELIVERY_ERRORS
from slackbot.slack.message_lookup import find_marked

log = logging.getLogger("slackbot.messenger")

Blocks = list[dict[str, Any]]


class SlackMessenger:
    def __init__(self, client: BudgetedClient) -> None:
        self.client = client

    def post(
        self,
        channel: str,
        text: str,
        blocks: Blocks | None = None,
        thread_ts: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> str | None:
        try:
            response = self.client.chat_postMessage(
                channel=channel,
                text=text,
                blocks=blocks,
                thread_ts=thread_ts,
                unfurl_links=False,
                metadata=metadata,
            )
        except DELIVERY_ERRORS as exc:
            log.warning("post_failed channel=%s error=%s", channel, exc)
            return None
        return str(response["ts"])

    def update(self, channel: str, ts: str, text: str, blocks: Blocks | None = None) -> bool:
        try:
            self.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
        except DELIVERY_ERRORS as exc:
            log.warning("update_failed channel=%s ts=%s error=%s", channel, ts, exc)
            return False
        return True

    def post_checked(
        self, channel: str, text: str, blocks: Blocks, metadata: dict[str, Any]
    ) -> Delivery:
        try:
            response = self.client.chat_postMessage(
                channel=channel,
                text=text,
                blocks=blocks,
                unfurl_links=False,
                unfurl_media=False,
                metadata=metadata,
            )
        except DELIVERY_ERRORS as exc:
            return refused(exc)
        return Delivery(str(response["ts"]))

    def update_checked(
        self, channel: str, ts: str, text: str, blocks: Blocks, metadata: dict[str, Any]
    ) -> Delivery:
        try:
            self.client.chat_update(
                channel=channel, ts=ts, text=text, blocks=blocks, metadata=metadata
            )
        except DELIVERY_ERRORS as exc:
            return refused(exc)
        return Delivery(ts)

    def dm(
        self,
        user: str,
        text: str,
        blocks: Blocks | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> str | None:
        try:
            response = self.client.chat_postMessage(
                channel=user, text=text, blocks=blocks, unfurl_links=False, metadata=metadata
            )
        except DELIVERY_ERRORS as exc:
            log.warning("dm_failed user=%s error=%s", user, exc)
            return None
        return str(response["ts"])

    def ephemeral(self, channel: str, user: str, text: str, blocks: Blocks | None = None) -> None:
        try:
            self.client.chat_postEphemeral(channel=channel, user=user, text=text, blocks=blocks)
        except DELIVERY_ERRORS as exc:
            log.warning("ephemeral_failed user=%s channel=%s error=%s", user, channel, exc)

    def invite(self, channel: str, users: list[str]) -> bool:
        try:
            self.client.conversations_invite(channel=channel, users=",".join(users))
        except DELIVERY_ERRORS as exc:
            log.warning("invite_failed channel=%s error=%s", channel, exc)
            return False
        return True

    def find_marked(
        self,
        channel: str,
        *,
        since: float,
        event_type: str,
        payload: dict[str, Any],
        thread_ts: str | None = None,
    ) -> tuple[bool, str | None]:
        try:
            if channel.startswith(("U", "W")):  # a person: the history is the DM's
                channel = str(self.client.conversations_open(users=channel)["channel"]["id"])
            found = find_marked(
                self.client,
                channel,
                since=since,
                event_type=event_type,
                payload=payload,
                thread_ts=thread_ts,
            )
        except DELIVERY_ERRORS as exc:
            log.warning("lookup_failed channel=%s error=%s", channel, exc)
            return False, None
        return True, found

    def may_send(self, method: str, channel: str | None = None) -> bool:
        return self.client.try_spend(method, channel)

    def is_private(self, channel: str) -> bool:
        try:
            found = self.client.conversations_info(channel=channel)["channel"]
        except DELIVERY_ERRORS as exc:
            log.warning("channel_info_failed channel=%s error=%s", channel, exc)
            return False
        return bool(found.get("is_private"))

    def publish_home(self, user: str, view: dict[str, Any]) -> bool:
        try:
            self.client.views_publish(user_id=user, view=view)
        except DELIVERY_ERRORS as exc:
            log.warning("home_publish_failed user=%s error=%s", user, exc)
            return False
        return True

    def post_delivered(
        self, channel: str, text: str, blocks: Blocks, thread_ts: str | None = None
    ) -> Delivery:
        try:
            response = self.client.chat_postMessage(
                channel=channel, text=text, blocks=blocks, thread_ts=thread_ts, unfurl_links=False
            )
        except DELIVERY_ERRORS as exc:
            log.warning("post_failed channel=%s error=%s", channel, exc)
            return refused(exc)
        return Delivery(str(response["ts"]))

    def pin(self, channel: str, ts: str) -> bool:
        try:
            self.client.pins_add(channel=channel, timestamp=ts)
        except DELIVERY_ERRORS as exc:
            log.warning("pin_failed channel=%s ts=%s error=%s", channel, ts, exc)
            return False
        return True

    def user_info(self, user: str) -> tuple[dict[str, Any] | None, str | None]:
        try:
            return dict(self.client.users_info(user=user)["user"]), None
        except SlackApiError as exc:
            return None, str(exc.response.get("error"))
        except OSError as exc:
            return None, str(exc)

    def channel_members(
        self, channel: str, cursor: str | None, limit: int
    ) -> tuple[list[str], str] | None:
        try:
            page = self.client.conversations_members(channel=channel, limit=limit, cursor=cursor)
        except (SlackApiError, OSError) as exc:
            log.warning("channel_members_not_read error=%s", exc)
            return None
        members = [str(m) for m in page.get("members") or []]
        return members, str((page.get("response_metadata") or {}).get("next_cursor") or "")

    def upload(self, user: str, content: str, *, filename: str, title: str, comment: str) -> str:
        channel = self.client.conversations_open(users=user)["channel"]["id"]
        response = self.client.files_upload_v2(
            channel=channel,
            content=content,
            filename=filename,
            title=title,
            initial_comment=comment,
        )
        return str((response.get("file") or {}).get("id") or "")

    def send(
        self,
        channel: str,
        text: str,
        blocks: Blocks | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> Delivery:
        try:
            response = self.client.chat_postMessage(
                channel=channel, text=text, blocks=blocks, unfurl_links=False, metadata=metadata
            )
        except AccessLost:
            return Delivery(error=ACCESS_LOST)
        except DELIVERY_ERRORS as exc:
            return refused(exc)
        return Delivery(str(response["ts"]), channel=str(response.get("channel") or ""))

    def open_dm(self, user: str) -> str | None:
        try:
            return str(self.client.conversations_open(users=user)["channel"]["id"])
        except DELIVERY_ERRORS as exc:
            log.warning("dm_open_failed user=%s error=%s", user, exc)
            return None

    def access_lost(self) -> str | None:
        return self.client.access_lost

    def lose_access(self, reason: str) -> None:
        self.client.lose_access(reason)

    def create_channel(self, name: str) -> tuple[str | None, str | None]:
        try:
            response = self.client.conversations_create(name=name)
        except SlackApiError as exc:
            return None, str(exc.response.get("error"))
        except DELIVERY_ERRORS as exc:
            return None, str(exc)
        return str(response["channel"]["id"]), None

    def is_person(self, user: str) -> bool:
        try:
            found = self.client.users_info(user=user)["user"]
        except SlackApiError:  # no such user (a failure to reach Slack is raised: retried)
            return False
        return not (found.get("deleted") or found.get("is_bot"))


def refused(exc: BaseException) -> Delivery:
    """Why a message was not delivered: Slack's error code and status, or the failure's name."""
    if not isinstance(exc, SlackApiError):
        return Delivery(error=exc.__class__.__name__)
    response = exc.response
    retry_after = response.headers.get("Retry-After") if response.status_code == 429 else None
    return Delivery(
        error=str(response.get("error") or exc.__class__.__name__),
        status=response.status_code,
        retry_after=None if retry_after is None else float(retry_after),
    )

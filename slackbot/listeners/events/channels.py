"""Changes made in Slack, recorded and then done on the "default" lane: `channel_rename` /
`group_rename` and `channel_archive` / `group_archive` (a team channel), `user_change` (a
person's account deactivated)."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from slackbot.listeners.deferral import defer
from slackbot.listeners.payload import Malformed, mapping, optional_text, text
from slackbot.services.runtime import Runtime
from slackbot.services.workspace_changes import (
    ArchiveTeamChannel,
    PersonDeactivated,
    RenameTeamChannel,
)


def handle_channel_change(
    body: dict[str, Any], event: dict[str, Any], context: BoltContext
) -> None:
    kind = optional_text(event, "type")
    if kind.endswith("_rename"):
        change = {"kind": "rename", "channel": text(event, "channel", "id")}
        change["name"] = text(event, "channel", "name")
    else:
        channel = event.get("channel")
        if not isinstance(channel, str):
            raise Malformed("channel")
        change = {"kind": "archive", "channel": channel, "by": optional_text(event, "user")}
    event_id = optional_text(body, "event_id") or None
    defer(context, "channel_changed", change, key=f"event:{event_id}" if event_id else None)


def apply_channel_change(rt: Runtime, change: dict[str, Any]) -> None:
    """Deferred: the change, applied."""
    if change["kind"] == "rename":
        rt.bus.handle(RenameTeamChannel(str(change["channel"]), str(change["name"])))
    else:
        rt.bus.handle(ArchiveTeamChannel(str(change["channel"]), str(change["by"])))


def handle_user_change(body: dict[str, Any], event: dict[str, Any], context: BoltContext) -> None:
    user = mapping(event, "user")
    if user.get("deleted") is not True:
        return  # a profile edit: nothing for the week
    change = {"user": text(user, "id"), "name": optional_text(user, "name")}
    event_id = optional_text(body, "event_id") or None
    defer(context, "person_deactivated", change, key=f"event:{event_id}" if event_id else None)


def apply_person_deactivated(rt: Runtime, change: dict[str, Any]) -> None:
    """Deferred: a person's account deactivated."""
    rt.bus.handle(PersonDeactivated(str(change["user"]), str(change["name"])))

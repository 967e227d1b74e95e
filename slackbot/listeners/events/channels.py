"""`channel_rename` / `group_rename` and `channel_archive` / `group_archive`: a team channel
changed in Slack (recorded, then done on the "default" lane)."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from slackbot.listeners.deferral import defer
from slackbot.listeners.payload import Malformed, optional_text, text
from slackbot.services import workspace_changes
from slackbot.services.runtime import Runtime


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
        workspace_changes.channel_renamed(rt, str(change["channel"]), str(change["name"]))
    else:
        workspace_changes.channel_archived(rt, str(change["channel"]), str(change["by"]))

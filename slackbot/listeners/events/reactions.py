"""`reaction_added` / `reaction_removed`: joining and leaving a team by reacting to its post.

The listener keeps only reactions with a join emoji on a message in the proposals channel from
someone other than the bot, records them under Slack's event_id (a second delivery of the same
event is acknowledged and dropped) and lets the "events" lane apply them: each stored payload
is read into a `ReactionSignal`, and the signals go to the `ApplyReactions` use case. Applying
is idempotent and order-independent (`domain.teams`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext

from slackbot.domain.teams import base_emoji
from slackbot.listeners.deferral import defer, runtime
from slackbot.listeners.payload import mapping, optional_text
from slackbot.services.joining import ApplyReactions, ReactionSignal
from slackbot.services.runtime import Runtime

log = logging.getLogger("slackbot.reactions")


def handle_reaction(body: dict[str, Any], event: dict[str, Any], context: BoltContext) -> None:
    rt = runtime(context)
    added = event.get("type") == "reaction_added"
    if reaction_signal(rt, event, added=added) is None:
        return  # not a join emoji in the proposals channel: nothing to do, nothing to keep
    event_id = optional_text(body, "event_id") or None
    request = {"event": mapping(body, "event"), "added": added}
    defer(context, "reaction", request, key=f"event:{event_id}" if event_id else None)


def reaction_signal(rt: Runtime, event: dict[str, Any], *, added: bool) -> ReactionSignal | None:
    """The join signal a reaction event carries, if it is a join emoji on a message in the
    proposals channel from someone other than the bot (no database read)."""
    item = event.get("item")
    user = event.get("user")
    if not isinstance(item, dict) or not isinstance(user, str) or not user:
        return None
    emoji = base_emoji(str(event.get("reaction", "")))
    if item.get("type") != "message" or item.get("channel") != rt.channel_id:
        return None
    ts = item.get("ts")
    if not isinstance(ts, str) or user == rt.bot_user_id:
        return None
    if emoji not in rt.settings.JOIN_EMOJI:
        return None
    try:
        at = float(event.get("event_ts") or time.time())
    except (TypeError, ValueError):
        at = time.time()
    return ReactionSignal(ts, user, emoji, added, at)


def _signals(rt: Runtime, requests: list[dict[str, Any]]) -> ApplyReactions:
    found = (reaction_signal(rt, dict(r["event"]), added=bool(r["added"])) for r in requests)
    return ApplyReactions(tuple(signal for signal in found if signal is not None))


def apply_reaction(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred: the reaction's join signal, applied to the team."""
    rt.bus.handle(_signals(rt, [request]))


def apply_batch(rt: Runtime, requests: list[dict[str, Any]]) -> Callable[[], None]:
    """Deferred, many at a time: a flood of reactions applied in the worker's unit of work
    (which marks them done in it too). What they raised is heard once that commits: the worker
    calls what this returns after its commit."""
    rt.bus.handle(_signals(rt, requests))
    return rt.bus.publish_committed

"""`reaction_added` / `reaction_removed`: joining and leaving a team by reacting to its post.

The listener keeps only reactions with a join emoji on a proposal's post, records them under
Slack's event_id (a second delivery of the same event is acknowledged and dropped) and lets the
"events" lane apply them. Applying is idempotent and order-independent (`domain.teams`).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltContext

from slackbot.listeners.deferral import defer, runtime
from slackbot.listeners.payload import mapping, optional_text
from slackbot.services.joining import FollowUp, apply_reactions, join_in_reaction
from slackbot.services.joining import apply_reaction as apply_join
from slackbot.services.runtime import Runtime

log = logging.getLogger("slackbot.reactions")


def handle_reaction(body: dict[str, Any], event: dict[str, Any], context: BoltContext) -> None:
    rt = runtime(context)
    added = event.get("type") == "reaction_added"
    if join_in_reaction(rt, event, added=added) is None:
        return  # not a join emoji in the proposals channel: nothing to do, nothing to keep
    event_id = optional_text(body, "event_id") or None
    request = {"event": mapping(body, "event"), "added": added}
    defer(context, "reaction", request, key=f"event:{event_id}" if event_id else None)


def apply_reaction(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred: the reaction's join signal, applied to the team."""
    apply_join(rt, dict(request["event"]), added=bool(request["added"]))


def apply_batch(rt: Runtime, requests: list[dict[str, Any]]) -> FollowUp:
    """Deferred, many at a time: a flood of reactions applied in one transaction."""
    return apply_reactions(rt, requests)

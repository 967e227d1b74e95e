"""Buttons of the "Before you post" step: join an existing team, or go back to the draft."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from slack_bolt import Ack, BoltContext

from slackbot.blocks.before_you_post import joined_view
from slackbot.blocks.proposal_form import proposal_modal, status_view
from slackbot.listeners.deferral import defer
from slackbot.listeners.payload import action_value, number, optional_text, text, user_of
from slackbot.services.form_opening import UpdateModal, week
from slackbot.services.runtime import Runtime
from slackbot.services.submission import BackToDraft, DraftGone, JoinInstead

log = logging.getLogger("slackbot.similar")


def step_state(view: dict[str, Any]) -> tuple[str, list[int], list[str]]:
    """The held draft's key, the projects and the advice already shown, from the view's
    metadata."""
    try:
        data = json.loads(optional_text(view, "private_metadata") or "{}")
        return (
            str(data.get("draft") or ""),
            [int(i) for i in data.get("seen") or []],
            [str(k) for k in data.get("advised") or []],
        )
    except (ValueError, TypeError, AttributeError):
        return "", [], []


def step_request(body: dict[str, Any], **extra: Any) -> dict[str, Any]:
    key, seen, advised = step_state(body.get("view") or {})
    return {
        "user": user_of(body),
        "view_id": text(body, "view", "id"),
        "draft": key,
        "seen": seen,
        "advised": advised,
        "at": time.time(),
        **extra,
    }


def handle_join(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    request = step_request(body, proposal_id=number(action_value(body)))
    defer(context, "similar_join", request, user=request["user"])
    ack()


def handle_back(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    request = step_request(body)
    defer(context, "similar_back", request, user=request["user"])
    ack()


def join(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred: join the existing team instead of proposing the same idea."""
    command = JoinInstead(str(request["user"]), int(request["proposal_id"]), float(request["at"]))
    joined = rt.bus.handle(command)
    if joined is None:
        outcome = status_view("Not open", "That project does not take members.")
    elif joined.waitlisted:
        outcome = status_view(
            "On the waitlist",
            "That team is full: you are on its waitlist and move up when someone leaves.",
        )
    else:
        outcome = joined_view(
            joined.proposal,
            draft_key=str(request["draft"]),
            seen=request["seen"],
            advised=list(request.get("advised") or []),
        )
    rt.bus.handle(UpdateModal(str(request["view_id"]), outcome))


def back(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred: back to the held draft."""
    draft = rt.bus.handle(BackToDraft(str(request["user"]), str(request["draft"])))
    if isinstance(draft, DraftGone):
        outcome = status_view("Draft not found", "That draft is gone. Please `/propose` again.")
    else:
        outcome = proposal_modal(
            draft,
            week=week(rt.settings, rt.channel_id),
            seen=list(request["seen"]),
            advised=list(request.get("advised") or []),
        )
    rt.bus.handle(UpdateModal(str(request["view_id"]), outcome))

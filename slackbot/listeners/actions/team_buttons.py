"""The team's buttons: Join and Leave on a post (and Leave on the Home tab), Ask to join on an
official team's post. Each acks at once and defers the change; joining by button is the same
join signal as a reaction (last writer wins by Slack's time), so a retried click is no news."""

from __future__ import annotations

import time
from typing import Any

from slack_bolt import Ack, BoltContext

from slackbot.blocks.replies import reply_text
from slackbot.listeners.deferral import defer
from slackbot.listeners.payload import action_value, number, optional_text, user_of
from slackbot.services.editing import LeaveTeam
from slackbot.services.joining import JoinTeam
from slackbot.services.replies import Reply
from slackbot.services.runtime import Runtime


def _request(body: dict[str, Any]) -> dict[str, Any]:
    try:
        at = float(body["actions"][0]["action_ts"])
    except (KeyError, IndexError, TypeError, ValueError):
        at = time.time()
    return {
        "user": user_of(body),
        "proposal_id": number(action_value(body)),
        "response_url": optional_text(body, "response_url"),
        "at": at,
    }


def handle_join_team(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    request = _request(body)
    defer(context, "join", request, user=request["user"])
    ack()


def handle_leave(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    request = _request(body)
    defer(context, "leave", request, user=request["user"])
    ack()


def handle_ask(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    request = _request(body)
    defer(context, "ask_to_join", request, user=request["user"])
    ack()


def join(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred: join by button. Success is told by the notice (one DM with the person's
    place); only a refusal is answered here."""
    command = JoinTeam(str(request["user"]), int(request["proposal_id"]), float(request["at"]))
    outcome = rt.bus.handle(command)
    if not outcome.ok:
        rt.bus.handle(Reply(request, reply_text(outcome.said)))


def leave(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred: leave a team (from its post, or the Home tab)."""
    at = request.get("at")
    command = LeaveTeam(str(request["user"]), int(request["proposal_id"]), at)
    outcome = rt.bus.handle(command)
    if not outcome.ok or request.get("response_url"):
        rt.bus.handle(Reply(request, reply_text(outcome.said)))


def ask_to_join(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred: ask to join an official team; the organizers approve or decline."""
    outcome = rt.bus.handle(JoinTeam(str(request["user"]), int(request["proposal_id"])))
    if outcome.said is not None:  # joined by its button (no longer official): the notice says it
        rt.bus.handle(Reply(request, reply_text(outcome.said)))

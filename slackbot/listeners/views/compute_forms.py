"""The modals of compute and Hub access: a member's problem, an organizer's reply, a Hub
username. A wrong Hub username is the submission's one and only ack, with the field's error;
everything else acks at once and is deferred."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from slackbot.blocks.compute import (
    HUB_BLOCK,
    PROBLEM_BLOCK,
    REPLY_BLOCK,
    hub_answer,
    organizer_answer,
)
from slackbot.domain.compute import hub_username
from slackbot.listeners.deferral import defer, work_key
from slackbot.listeners.payload import number, optional_text, user_of
from slackbot.services.compute import ReplyToProblem
from slackbot.services.hub_access import SetHubUsername
from slackbot.services.replies import Reply
from slackbot.services.runtime import Runtime


def _value(body: dict[str, Any], block: str) -> str:
    return optional_text(body, "view", "state", "values", block, block, "value").strip()


def handle_problem(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    problem = _value(body, PROBLEM_BLOCK)
    if not problem:
        ack(response_action="errors", errors={PROBLEM_BLOCK: "Say in a few words what goes wrong."})
        return
    user = user_of(body)
    request = {
        "user": user,
        "proposal_id": number(optional_text(body, "view", "private_metadata")),
        "works": False,
        "problem": problem,
    }
    defer(context, "compute_answer", request, key=work_key(body, "compute_answer:"), user=user)
    ack()


def handle_reply(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    words = _value(body, REPLY_BLOCK)
    if not words:
        ack(response_action="errors", errors={REPLY_BLOCK: "Write a reply first."})
        return
    raw_id, _, about = optional_text(body, "view", "private_metadata").partition(":")
    user = user_of(body)
    request = {"user": user, "proposal_id": number(raw_id), "about": about[:20], "text": words}
    defer(context, "compute_reply", request, key=work_key(body, "compute_reply:"), user=user)
    ack()


def handle_hub(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    raw = _value(body, HUB_BLOCK)
    try:
        hub_username(raw)
    except ValueError as problem:
        ack(response_action="errors", errors={HUB_BLOCK: str(problem)})
        return
    user = user_of(body)
    defer(
        context,
        "hub_username",
        {"user": user, "raw": raw},
        key=work_key(body, "hub_username:"),
        user=user,
    )
    ack()


def send_reply(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred: an organizer's reply to a problem, by DM to the member."""
    result = rt.bus.handle(
        ReplyToProblem(
            str(request["user"]),
            int(request["proposal_id"]),
            str(request["about"]),
            str(request["text"]),
        )
    )
    rt.bus.handle(Reply({"user": request["user"]}, organizer_answer(result)))


def save_hub_username(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred: keep the username, and tell the person it is saved."""
    result = rt.bus.handle(SetHubUsername(str(request["user"]), str(request["raw"])))
    rt.bus.handle(Reply({"user": request["user"]}, hub_answer(result, rt.settings.HUB_ORG)))

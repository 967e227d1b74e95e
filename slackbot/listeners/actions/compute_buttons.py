"""The buttons of compute and Hub access: It works and Problem (in a member's compute DM),
Re-give and Reply (on the organizers' problem alert), Give my Hub username (team welcome,
compute DM, Home tab) and Remind them (the dashboard). Each acks at once; modals open on the
"ui" lane, the rest is deferred. Who may press what is checked in the services."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from slackbot.blocks.compute import (
    hub_answer,
    hub_modal,
    member_answer,
    organizer_answer,
    problem_modal,
    reply_modal,
)
from slackbot.listeners.deferral import defer, work_key
from slackbot.listeners.form_requests import SLOW
from slackbot.listeners.payload import action_value, number, optional_text, text, user_of
from slackbot.services.compute import AnswerCompute, RegiveCompute
from slackbot.services.form_opening import OpenView
from slackbot.services.hub_access import HubUsernameOf, RemindHubUsernames
from slackbot.services.replies import Reply
from slackbot.services.runtime import Runtime


def _request(body: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "user": user_of(body),
        "response_url": optional_text(body, "response_url"),
        **extra,
    }


def _defer(context: BoltContext, body: dict[str, Any], work: str, request: dict[str, Any]) -> None:
    """Every compute button's work, keyed on its click (Slack's retry is no new work)."""
    defer(context, work, request, key=work_key(body, f"{work}:"), user=request["user"])


def handle_works(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    request = _request(body, proposal_id=number(action_value(body)), works=True, problem="")
    _defer(context, body, "compute_answer", request)
    ack()


def handle_problem(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    request = _request(body, trigger_id=text(body, "trigger_id"), modal="problem")
    request["proposal_id"] = number(action_value(body))
    _defer(context, body, "compute_modal", request)
    ack()


def handle_reply(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    raw_id, _, about = action_value(body).partition(":")
    request = _request(body, trigger_id=text(body, "trigger_id"), modal="reply")
    request.update(proposal_id=number(raw_id), about=about[:20])
    _defer(context, body, "compute_modal", request)
    ack()


def handle_hub(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    request = _request(body, trigger_id=text(body, "trigger_id"), modal="hub")
    _defer(context, body, "compute_modal", request)
    ack()


def handle_regive(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    request = _request(body, proposal_id=number(action_value(body)))
    _defer(context, body, "compute_regive", request)
    ack()


def handle_remind(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    request = _request(body)
    _defer(context, body, "hub_remind", request)
    ack()


def open_modal(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred on the "ui" lane: open the modal the button asked for, inside its trigger's
    3 seconds."""
    modal = request.get("modal")
    if modal == "problem":
        view = problem_modal(int(request["proposal_id"]))
    elif modal == "reply":
        view = reply_modal(int(request["proposal_id"]), str(request["about"]))
    else:
        current = rt.bus.handle(HubUsernameOf(str(request["user"])))
        view = hub_modal(rt.settings.HUB_ORG, current)
    if rt.bus.handle(OpenView(str(request["trigger_id"]), view)) is None:
        rt.bus.handle(Reply(request, SLOW))


def answer(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred: It works, or a problem (from its modal)."""
    result = rt.bus.handle(
        AnswerCompute(
            str(request["user"]),
            int(request["proposal_id"]),
            bool(request["works"]),
            str(request.get("problem") or ""),
        )
    )
    rt.bus.handle(Reply(request, member_answer(result, rt.settings.HUB_ORG)))


def regive(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred: an organizer gives a team with a problem another machine."""
    result = rt.bus.handle(RegiveCompute(str(request["user"]), int(request["proposal_id"])))
    rt.bus.handle(Reply(request, organizer_answer(result)))


def remind(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred: remind the official members without a Hub username (once a day each)."""
    result = rt.bus.handle(RemindHubUsernames(str(request["user"])))
    rt.bus.handle(Reply(request, hub_answer(result, rt.settings.HUB_ORG)))

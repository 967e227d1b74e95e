"""The judges' **Score** buttons on their Home tab, and the organizers' **Remind late judges**."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from slackbot.blocks.judging import reminded_text, score_modal
from slackbot.listeners.deferral import defer, work_key
from slackbot.listeners.form_requests import SLOW, form_request
from slackbot.listeners.payload import action_value, number, user_of
from slackbot.services import judging
from slackbot.services.form_opening import OpenView
from slackbot.services.replies import Reply
from slackbot.services.runtime import Runtime


def handle_score(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    request = form_request(body, proposal_id=number(action_value(body)))
    defer(context, "open_score_form", request, user=request["user"])
    ack()


def open_score_form(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred (the "ui" lane): the scoring form, prefilled with the judge's own scores."""
    result = rt.bus.handle(judging.OpenScoring(str(request["user"]), int(request["proposal_id"])))
    if isinstance(result, judging.Refused):
        rt.bus.handle(Reply(request, result.message))
        return
    view = score_modal(
        result.proposal, result.submission, result.criteria, result.existing, result.closes_at
    )
    if rt.bus.handle(OpenView(str(request["trigger_id"]), view)) is None:
        rt.bus.handle(Reply(request, SLOW))


def handle_remind_judges(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    user = user_of(body)
    # One reminder round per click: the click's trigger_id names the work (a redelivered
    # click is dropped), not the organizer, or a second click would be taken for the first.
    defer(
        context,
        "remind_judges",
        {"user": user},
        key=work_key(body, "remind_judges:"),
        user=user,
    )
    ack()


def remind_judges(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred: a DM to each judge with demos left to score; the organizer hears who."""
    result = rt.bus.handle(judging.RemindJudges(str(request["user"])))
    if isinstance(result, judging.Refused):
        rt.bus.handle(Reply(request, result.message))
        return
    rt.bus.handle(Reply(request, reminded_text(result.judges, result.not_reached)))

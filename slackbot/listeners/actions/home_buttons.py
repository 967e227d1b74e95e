"""The Home tab's buttons: "Propose a project", and the organizers' dashboard "More"."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from slackbot.listeners.deferral import defer
from slackbot.listeners.form_requests import form_request
from slackbot.listeners.payload import action_value, number, user_of
from slackbot.services.home_pages import TurnDashboardPage
from slackbot.services.runtime import Runtime


def handle_home_propose(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    request = form_request(body)
    defer(context, "open_form", request, user=request["user"])
    ack()


def handle_dashboard_more(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    kind, _, offset = action_value(body).partition(":")
    user = user_of(body)
    request = {"user": user, "pages": {kind[:40]: number(offset)}}
    defer(context, "dashboard_page", request, user=user)
    ack()


def dashboard_page(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred: the organizer's Home tab with a dashboard list turned to its next page."""
    pages = {str(k): int(v) for k, v in dict(request["pages"]).items()}
    rt.bus.handle(TurnDashboardPage(str(request["user"]), pages))

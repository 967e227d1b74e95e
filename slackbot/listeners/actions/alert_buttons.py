"""The buttons on an organizer alert (Make team official, Not yet, Start a second team) and on
a request to join an official team (Approve, Decline).

Who may press them is checked on the server for every click (in the services): the button's
value is only a proposal id, and a forged payload carrying it changes nothing for anyone else.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext

from slackbot.blocks.notice_messages import APPROVE, DECLINE
from slackbot.blocks.replies import reply_text
from slackbot.listeners.deferral import defer
from slackbot.listeners.payload import action_value, number, optional_text, text, user_of
from slackbot.services.officiating import MakeOfficial, NotYet
from slackbot.services.organizing import DecideJoinRequest, StartSecondTeam
from slackbot.services.outcome import Outcome
from slackbot.services.replies import Reply
from slackbot.services.runtime import Runtime

log = logging.getLogger("slackbot.actions")

# Each button's command, given (organizer, proposal id).
ACTIONS: dict[str, Callable[[str, int], object]] = {
    "make_official": MakeOfficial,
    "not_yet": NotYet,
    "second_team_proposer": lambda user, pid: StartSecondTeam(user, pid, "proposer"),
    "second_team_waitlist": lambda user, pid: StartSecondTeam(user, pid, "waitlist"),
}
ACTION_PATTERN = "^(make_official|not_yet|second_team_proposer|second_team_waitlist)$"
REQUEST_PATTERN = f"^({APPROVE}|{DECLINE})$"


def handle_alert_button(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    user = user_of(body)
    request = {
        "action": text(body, "actions", 0, "action_id"),
        "proposal_id": number(action_value(body)),
        "user": user,
        "response_url": optional_text(body, "response_url"),
    }
    defer(context, "alert_decision", request, user=user)
    ack()


def handle_request_button(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    user = user_of(body)
    raw_id, _, about = action_value(body).partition(":")
    request = {
        "action": text(body, "actions", 0, "action_id"),
        "proposal_id": number(raw_id),
        "about": about,
        "user": user,
        "response_url": optional_text(body, "response_url"),
    }
    defer(context, "request_decision", request, user=user)
    ack()


def decide_request(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred: approve or decline a request to join an official team."""
    decision = DecideJoinRequest(
        str(request["user"]),
        int(request["proposal_id"]),
        str(request["about"]),
        "approved" if request["action"] == APPROVE else "declined",
    )
    outcome: Outcome = rt.bus.handle(decision)
    if not outcome.ok:
        rt.bus.handle(Reply(request, reply_text(outcome.said)))


def decide(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred: make the team official, or note "not yet"."""
    action, user, pid = str(request["action"]), str(request["user"]), int(request["proposal_id"])
    command = ACTIONS.get(action)
    if command is None:
        return
    outcome: Outcome = rt.bus.handle(command(user, pid))
    rt.updates.mark_homes({user})
    if not outcome.ok:
        log.info("organizer_action_refused action=%s proposal_id=%s user=%s", action, pid, user)
        rt.bus.handle(Reply(request, reply_text(outcome.said)))

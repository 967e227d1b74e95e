"""The buttons on an organizer alert: Make team official, Not yet.

Who may press them is checked here on the server for every click: the button's value is only
a proposal id, and a forged payload carrying it changes nothing for a non-organizer.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond

from slackbot.listeners.errors import after_ack_reported
from slackbot.listeners.replies import tell
from slackbot.runtime import Runtime
from slackbot.services.official import Outcome, make_official, not_yet

log = logging.getLogger("slackbot.actions")


def _proposal_id(body: dict[str, Any]) -> int | None:
    try:
        return int(body["actions"][0]["value"])
    except (KeyError, IndexError, ValueError):
        return None


ACTIONS: dict[str, Callable[[Runtime, int, str], Outcome]] = {
    "make_official": make_official,
    "not_yet": not_yet,
}


def register(app: App, rt: Runtime) -> None:
    @app.action(re.compile(r"^(make_official|not_yet)$"))
    @after_ack_reported(rt)
    def on_alert_button(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        user = body["user"]["id"]
        pid = _proposal_id(body)
        if pid is None:
            return
        action = body["actions"][0]["action_id"]
        outcome = ACTIONS[action](rt, pid, user)
        rt.updates.mark_homes({user})
        if not outcome.ok:
            log.info("organizer_action_refused action=%s proposal_id=%s user=%s", action, pid, user)
            tell(rt, body, respond, outcome.message)

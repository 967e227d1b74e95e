"""What a person is told after asking for something, and the one check that they are an
organizer (every organizer action, whatever surface it came from, goes through it)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from slackbot.services.runtime import Runtime

log = logging.getLogger("slackbot.outcome")

NOT_ORGANIZER = "Only the organizers can do that."


@dataclass
class Outcome:
    ok: bool
    message: str  # what the person is told
    errors: dict[str, str] = field(default_factory=dict)  # a form's fields to correct


def require_organizer(rt: Runtime, user: str, action: str = "") -> Outcome | None:
    """None if `user` is an organizer; otherwise the refusal to show them."""
    if rt.is_organizer(user):
        return None
    log.info("organizer_action_refused action=%s user=%s", action or "-", user)
    return Outcome(False, NOT_ORGANIZER)

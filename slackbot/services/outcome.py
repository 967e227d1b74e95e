"""What a person is told after asking for something (as data: `domain.answers`; the words are
in `blocks/replies.py`), and the one check that they are an organizer (every organizer action,
whatever surface it came from, goes through it)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from slackbot.domain.answers import Answer, Said, say
from slackbot.services.directory import Organizers

log = logging.getLogger("slackbot.outcome")


@dataclass
class Outcome:
    ok: bool
    said: Said | None  # what happened, for the person (None: nothing to tell them)
    errors: dict[str, str] = field(default_factory=dict)  # a form's fields to correct


def require_organizer(organizers: Organizers, user: str, action: str = "") -> Outcome | None:
    """None if `user` is an organizer; otherwise the refusal to show them (every organizer
    action, whatever surface it came from, is checked here)."""
    if organizers.is_organizer(user):
        return None
    log.info("organizer_action_refused action=%s user=%s", action or "-", user)
    return Outcome(False, say(Answer.NOT_ORGANIZER))

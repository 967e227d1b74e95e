"""`/organize …`: the organizers' controls. Anyone else gets an ephemeral refusal.

The command answers at once (the ack's body); actions that call Slack (creating a team channel,
posting the digest, uploading the export) answer a moment later through the response_url.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext

from slackbot.blocks.mrkdwn import escape
from slackbot.listeners.commands import judging_answers
from slackbot.listeners.deferral import defer, runtime
from slackbot.listeners.payload import optional_text, text, user_of
from slackbot.services import organizing
from slackbot.services.outcome import Outcome, require_organizer
from slackbot.services.replies import tell
from slackbot.services.runtime import Runtime

log = logging.getLogger("slackbot.organize")

HELP = """*Organizer commands* (project numbers are the `#12` on each post):
• `/organize official 12` · `/organize undo 12`: make a team official, or undo it
• `/organize close 12` · `/organize reopen 12`
• `/organize close-all`: close every open proposal (asks you to confirm)
• `/organize limits 12 3 6`: threshold 3, max 6 for that project
• `/organize move @person 12 14`: move someone from project 12 to 14
• `/organize compute 12 v3-8 in europe-west4-a`: record the compute given
• `/organize digest`: post the digest now
• `/organize export csv` or `json`: the organizers' sheet, uploaded to your DM
• `/organize export csv scores` (or `json scores`): every judge's score, to your DM
• `/organize results`: the judges' ranking of the demos (only you see it)
• `/organize winners 12 7 3`: announce the winners (project numbers, first place first), once"""

_ID = re.compile(r"^#?(\d{1,9})$")
_USER = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")


class Usage(ValueError):
    pass


def project(word: str) -> int:
    match = _ID.match(word)
    if not match:
        raise Usage(f"“{escape(word)}” is not a project number")
    return int(match.group(1))


def run(rt: Runtime, user: str, words: list[str]) -> Outcome:
    """Carry out one organizer command (the caller has checked the person is an organizer)."""
    verb, args = words[0].lower(), words[1:]
    simple: dict[str, Callable[[Runtime, str, int], Outcome]] = {
        "official": organizing.official,
        "undo": organizing.undo_official,
        "close": organizing.close,
        "reopen": organizing.reopen,
    }
    if verb in simple and len(args) == 1:
        return simple[verb](rt, user, project(args[0]))
    if verb == "limits" and len(args) == 3:
        if not (args[1].isdigit() and args[2].isdigit()):
            raise Usage("sizes are whole numbers")
        return organizing.set_limits(rt, user, project(args[0]), int(args[1]), int(args[2]))
    if verb == "move" and len(args) == 3:
        match = _USER.match(args[0])
        if not match:
            raise Usage("name the person with @")
        return organizing.move(rt, user, project(args[1]), match.group(1), project(args[2]))
    if verb == "compute" and len(args) >= 2:
        return organizing.set_compute(rt, user, project(args[0]), " ".join(args[1:]))
    if verb == "close-all" and len(args) <= 1:
        if args and not args[0].isdigit():
            raise Usage("confirm with the number of proposals, e.g. `/organize close-all 12`")
        return organizing.close_all(rt, user, int(args[0]) if args else None)
    if verb == "digest" and not args:
        return organizing.post_digest_now(rt, user)
    if verb == "export" and len(args) <= 2:
        fmt = (args[0] if args else "csv").lower()
        scores = len(args) == 2
        if fmt not in ("csv", "json") or (scores and args[1].lower() != "scores"):
            raise Usage("export csv, export json, or export csv scores")
        return organizing.send_export(rt, user, fmt, scores=scores)
    if verb == "results" and not args:
        return judging_answers.results(rt, user)
    if verb == "winners" and 1 <= len(args) <= 10:
        return judging_answers.winners(rt, user, [project(a) for a in args])
    raise Usage("unknown command")


def handle_organize(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    rt = runtime(context)
    user = user_of(body)
    words = optional_text(body, "text").split()
    refused = require_organizer(rt, user, "organize")
    if refused is not None:
        ack(response_type="ephemeral", text=refused.message)
        return
    if not words or words[0].lower() == "help":
        ack(response_type="ephemeral", text=HELP)
        return
    request = {"user": user, "words": words[:50], "response_url": text(body, "response_url")}
    defer(context, "organize", request, user=user)
    ack(response_type="ephemeral", text=f"Working on `{escape(' '.join(words)[:200])}`…")


def organize(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred: carry out the command and answer through the response_url."""
    try:
        outcome = run(rt, str(request["user"]), [str(w) for w in request["words"]])
        answer = outcome.message
    except Usage as problem:
        answer = f"{problem}.\n\n{HELP}"
    tell(rt, request, answer)

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

from slackbot.blocks.compute import organizer_answer
from slackbot.blocks.mrkdwn import escape
from slackbot.blocks.replies import reply_text
from slackbot.domain.compute import parse_add
from slackbot.listeners.commands import judging_answers
from slackbot.listeners.deferral import defer, runtime
from slackbot.listeners.payload import optional_text, text, user_of
from slackbot.services.compute import (
    AddCompute,
    FixedCompute,
    GiveCompute,
    ListCompute,
    TakeCompute,
)
from slackbot.services.officiating import MakeOfficial
from slackbot.services.organizing import (
    CloseAll,
    CloseProposal,
    DigestNow,
    MayOrganize,
    MovePerson,
    ReopenProposal,
    SendExport,
    SetLimits,
    UndoOfficial,
)
from slackbot.services.outcome import Outcome
from slackbot.services.replies import Reply
from slackbot.services.runtime import Runtime

log = logging.getLogger("slackbot.organize")

HELP = """*Organizer commands* (project numbers are the `#12` on each post):
• `/organize official 12` · `/organize undo 12`: make a team official, or undo it
• `/organize close 12` · `/organize reopen 12`
• `/organize close-all`: close every open proposal (asks you to confirm)
• `/organize limits 12 3 6`: threshold 3, max 6 for that project
• `/organize move @person 12 14`: move someone from project 12 to 14
• `/organize compute`: the compute pool (free, given, returned) and who waits
• `/organize compute add LABEL | DETAILS`: add a machine (the details go only to its team)
• `/organize compute give 12 LABEL` · `/organize compute take LABEL`: by hand
• `/organize compute fixed LABEL`: a machine set aside after a problem (Re-give) is free again
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


def run(rt: Runtime, user: str, words: list[str]) -> str:
    """Carry out one organizer command (the caller has checked the person is an organizer);
    the answer's words."""
    verb, args = words[0].lower(), words[1:]
    if verb in _ON_A_PROJECT and len(args) == 1:
        outcome: Outcome = rt.bus.handle(_ON_A_PROJECT[verb](user, project(args[0])))
        return reply_text(outcome.said)
    if verb not in _VERBS:
        raise Usage("unknown command")
    return _VERBS[verb](rt, user, args)


def _limits(rt: Runtime, user: str, args: list[str]) -> str:
    if len(args) != 3:
        raise Usage("unknown command")
    if not (args[1].isdigit() and args[2].isdigit()):
        raise Usage("sizes are whole numbers")
    limits = SetLimits(user, project(args[0]), int(args[1]), int(args[2]))
    return reply_text(rt.bus.handle(limits).said)


def _move(rt: Runtime, user: str, args: list[str]) -> str:
    if len(args) != 3:
        raise Usage("unknown command")
    match = _USER.match(args[0])
    if not match:
        raise Usage("name the person with @")
    moved = rt.bus.handle(MovePerson(user, project(args[1]), match.group(1), project(args[2])))
    return reply_text(moved.said)


def _close_all(rt: Runtime, user: str, args: list[str]) -> str:
    if len(args) > 1 or (args and not args[0].isdigit()):
        raise Usage("confirm with the number of proposals, e.g. `/organize close-all 12`")
    return reply_text(rt.bus.handle(CloseAll(user, int(args[0]) if args else None)).said)


def _digest(rt: Runtime, user: str, args: list[str]) -> str:
    if args:
        raise Usage("unknown command")
    return reply_text(rt.bus.handle(DigestNow(user)).said)


def _export(rt: Runtime, user: str, args: list[str]) -> str:
    fmt = (args[0] if args else "csv").lower()
    scores = len(args) == 2
    if len(args) > 2 or fmt not in ("csv", "json") or (scores and args[1].lower() != "scores"):
        raise Usage("export csv, export json, or export csv scores")
    return reply_text(rt.bus.handle(SendExport(user, fmt, scores=scores)).said)


def _results(rt: Runtime, user: str, args: list[str]) -> str:
    if args:
        raise Usage("unknown command")
    return judging_answers.results(rt, user)


def _winners(rt: Runtime, user: str, args: list[str]) -> str:
    if not 1 <= len(args) <= 10:
        raise Usage("unknown command")
    return judging_answers.winners(rt, user, [project(a) for a in args])


def compute(rt: Runtime, user: str, args: list[str]) -> str:
    """`/organize compute [list | add LABEL | DETAILS | give 12 LABEL | take LABEL]`."""
    what = args[0].lower() if args else "list"
    if what == "list" and len(args) <= 1:
        command: object = ListCompute(user)
    elif what == "add":
        try:
            label, details = parse_add(" ".join(args[1:]))
        except ValueError as problem:
            raise Usage(str(problem)) from None
        command = AddCompute(user, label, details)
    elif what == "give" and len(args) == 3:
        command = GiveCompute(user, project(args[1]), args[2])
    elif what == "take" and len(args) == 2:
        command = TakeCompute(user, args[1])
    elif what == "fixed" and len(args) == 2:
        command = FixedCompute(user, args[1])
    else:
        raise Usage(
            "compute is `/organize compute`, `compute add LABEL | DETAILS`, "
            "`compute give 12 LABEL`, `compute take LABEL` or `compute fixed LABEL`"
        )
    result = rt.bus.handle(command)
    return organizer_answer(result)


def _shown(words: list[str]) -> str:
    """The command as echoed back: never a machine's details."""
    if len(words) > 1 and [w.lower() for w in words[:2]] == ["compute", "add"]:
        return " ".join([*words[:2], words[2].split("|")[0]] if len(words) > 2 else words) + " | …"
    return " ".join(words)


def handle_organize(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    rt = runtime(context)
    user = user_of(body)
    words = optional_text(body, "text").split()
    refused = rt.bus.handle(MayOrganize(user))
    if refused is not None:
        ack(response_type="ephemeral", text=reply_text(refused.said))
        return
    if not words or words[0].lower() == "help":
        ack(response_type="ephemeral", text=HELP)
        return
    # `compute add` carries a machine's details: room for them (the rest need few words).
    kept = words[:400] if words[0].lower() == "compute" else words[:50]
    request = {"user": user, "words": kept, "response_url": text(body, "response_url")}
    defer(context, "organize", request, user=user)
    ack(response_type="ephemeral", text=f"Working on `{escape(_shown(words)[:200])}`…")


def organize(rt: Runtime, request: dict[str, Any]) -> None:
    """Deferred: carry out the command and answer through the response_url."""
    try:
        answer = run(rt, str(request["user"]), [str(w) for w in request["words"]])
    except Usage as problem:
        answer = f"{problem}.\n\n{HELP}"
    rt.bus.handle(Reply(request, answer))


# `/organize VERB 12`: the command each verb makes (organizer, project number).
_ON_A_PROJECT: dict[str, Callable[[str, int], object]] = {
    "official": MakeOfficial,
    "undo": UndoOfficial,
    "close": CloseProposal,
    "reopen": ReopenProposal,
}
_VERBS: dict[str, Callable[[Runtime, str, list[str]], str]] = {
    "limits": _limits,
    "move": _move,
    "compute": compute,
    "close-all": _close_all,
    "digest": _digest,
    "export": _export,
    "results": _results,
    "winners": _winners,
}

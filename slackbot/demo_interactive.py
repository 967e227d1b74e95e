"""`slackbot demo --interactive`: type the week's actions yourself, as any person, against the
real bot and the local stand-in of Slack. Every surface the bot has is a command; every mistake
is answered in one line (never a traceback)."""

from __future__ import annotations

import argparse
import re
import shlex
from collections.abc import Callable, Sequence
from typing import Any

from slackbot.blocks.before_you_post import CALLBACK_ID as STEP_CALLBACK_ID
from slackbot.blocks.compute import (
    HUB_ACTION,
    HUB_BLOCK,
    PROBLEM_ACTION,
    PROBLEM_BLOCK,
    WORKS_ACTION,
)
from slackbot.blocks.judging import COMMENT, SCORE_ACTION
from slackbot.domain.demo_submission import DEMO, SUMMARY
from slackbot.domain.judging import HIGHEST, LOWEST, criterion_key
from slackbot.domain.proposal import Proposal, Status
from slackbot.domain.vocabulary import LANGUAGE_LABELS, languages_in
from slackbot.local import CHANNEL, LocalBot
from slackbot.services.judging import OpenScoring
from slackbot.services.judging import Refused as ScoringRefused
from slackbot.services.people_directory import KeepDirectory
from slackbot.terminal import DEFAULT_WIDTH, mrkdwn_to_text
from slackbot.text_layout import display_width, wrap

COMMANDS: dict[str, tuple[str, str]] = {
    "help": ("", "this list"),
    "propose": (
        "PERSON NAME… --description TEXT --model M --datasets D --scripts S [--language L[,L]]",
        "fill in the form and submit it: the form's required answers (the language comes from "
        "the name unless given)",
    ),
    "react": ("PERSON #", "react with ✋ on a project's post (join)"),
    "unreact": ("PERSON #", "remove that reaction (leave)"),
    "join": ("PERSON #", "click the post's Join button"),
    "leave": ("PERSON #", "click the post's Leave button"),
    "edit": ("PERSON # FIELD=VALUE…", "the proposer edits a proposal (fields: name, model, …)"),
    "withdraw": ("PERSON #", "the proposer withdraws a proposal"),
    "show": ("#", "a project's post as the channel shows it"),
    "projects": ("[WORDS…]", "/projects as sofia sees it"),
    "home": ("PERSON", "a person's Home tab (the organizer's has the dashboard)"),
    "official": ("#", "the organizer makes a team official"),
    "organize": ("ARGS…", "/organize as the organizer (try: organize help)"),
    "digest": ("", "post the digest now"),
    "dms": ("PERSON", "the direct messages a person received"),
    "works": ("PERSON", "a member answers their team's compute DM: It works"),
    "problem": ("PERSON WORDS…", "…or Problem, with what goes wrong"),
    "hub": ("PERSON USERNAME", "a member gives their Hugging Face username"),
    "submit": ("PERSON URL SUMMARY…", "a member of an official team submits (or edits) its demo"),
    "score": (
        "JUDGE # N N N N [COMMENT…]",
        "a judge scores a demo from their Home tab (1 to 5 for each criterion)",
    ),
    "quit": ("", "stop (also: exit, Ctrl-D)"),
}
FIELDS = ("name", "description", "model", "datasets", "training_scripts", "challenges",
          "outcome", "reads")  # fmt: skip


class Mistake(Exception):
    """A typed command that cannot be done: said to the person in one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # never exit the demo
        raise Mistake(message)


def _propose_parser() -> _Parser:
    parser = _Parser(prog="propose", add_help=False)
    parser.add_argument("person")
    parser.add_argument("name", nargs="+")
    parser.add_argument("--model", default="")
    parser.add_argument("--language", default="")
    parser.add_argument("--datasets", default="")
    parser.add_argument("--description", default="")
    parser.add_argument("--scripts", default="")
    return parser


# The form's required answers, and the option that gives each (Slack's form does not submit
# while one is empty; the demo fills nothing in for the person).
REQUIRED_OPTIONS = {
    "description": "--description",
    "languages": "--language",
    "model": "--model",
    "datasets": "--datasets",
    "training_scripts": "--scripts",
}


def help_text(
    people: list[str],
    organizer: str,
    *,
    judges: Sequence[str] = (),
    width: int = DEFAULT_WIDTH,
) -> str:
    """The commands in two columns, usage then what it does, each wrapped to `width` with a
    hanging indent. A usage too long for its column (propose's) takes lines of its own, its
    description starting under the column on the next line."""
    usages = {command: f"{command} {args}".rstrip() for command, (args, _) in COMMANDS.items()}
    # The usage column fits every usage that leaves the description half the line at least.
    column = max(
        (display_width(u) for u in usages.values() if display_width(u) <= width // 2 - 4),
        default=0,
    )
    indent = " " * (2 + column + 2)
    lines = ["commands:"]
    for command, (_, what) in COMMANDS.items():
        usage = usages[command]
        described = wrap(what, width - len(indent))
        if display_width(usage) <= column:
            pad = " " * (column - display_width(usage))
            lines.append(f"  {usage}{pad}  {described[0]}")
        else:
            # Continuation lines of the usage go under its arguments: "  propose " + 4.
            hang = " " * (2 + len(command) + 5)
            # An option in brackets is never cut: its spaces are no-break spaces while wrapping.
            grouped = re.sub(r"\[[^\]]*\]", lambda m: m.group().replace(" ", "\xa0"), usage)
            usage_lines = [line.replace("\xa0", " ") for line in wrap(grouped, width - len(hang))]
            lines.append(f"  {usage_lines[0]}")
            lines += [hang + line for line in usage_lines[1:]]
            lines.append(indent + described[0])
        lines += [indent + line for line in described[1:]]
    roles = f"{organizer} is the organizer"
    if judges:
        roles += f"; {' and '.join(judges)} {'are the judges' if len(judges) > 1 else 'is a judge'}"
    people_line = f"people: {', '.join(people)} ({roles})"
    hang = " " * len("people: ")
    wrapped = wrap(people_line[len(hang) :], width - len(hang))
    lines += [(hang if i else "people: ") + line for i, line in enumerate(wrapped)]
    return "\n".join(lines)


class Interactive:
    """The command loop; `demo` is a started Demo (its printing and its people)."""

    def __init__(
        self,
        demo: Any,
        bot: LocalBot,
        people: dict[str, str],
        organizer: str,
        judges: Sequence[str] = (),
    ):
        self.demo = demo
        self.bot = bot
        self.users = {name: uid for uid, name in people.items()}
        self.names = people
        self.organizer = organizer
        self.judges = list(judges)
        self.handlers: dict[str, Callable[[list[str]], None]] = {
            "help": lambda _args: self.say(self.help()),
            "propose": self.propose,
            "react": lambda args: self.react(args, add=True),
            "unreact": lambda args: self.react(args, add=False),
            "join": lambda args: self.button(args, "join_team"),
            "leave": lambda args: self.button(args, "leave_team"),
            "edit": self.edit,
            "withdraw": self.withdraw,
            "show": self.show,
            "projects": self.projects,
            "home": self.home,
            "official": self.official,
            "organize": self.organize,
            "digest": self.digest,
            "dms": self.dms,
            "works": lambda args: self.compute_answer(args, works=True),
            "problem": lambda args: self.compute_answer(args, works=False),
            "hub": self.hub,
            "submit": self.submit,
            "score": self.score,
        }

    def help(self) -> str:
        return help_text(
            list(self.users),
            self.names[self.organizer],
            judges=[self.names[j] for j in self.judges],
            width=self.demo.width,
        )

    def say(self, text: str = "") -> None:
        self.demo.say(text)

    def mrkdwn(self, text: str) -> str:
        """A note's mrkdwn as the terminal shows it ("You left *X*" shows X, in bold on a
        terminal), with people, channels and posts by name, as the demo shows messages."""
        return mrkdwn_to_text(
            text,
            names=self.demo.names(),
            channel_names=self.demo.channels(),
            color=self.demo.color,
            links=self.demo.links(),
        )

    # --- the loop ----------------------------------------------------------------------------
    def run_line(self, line: str) -> bool:
        """Do one typed line; False when it asks to stop."""
        try:
            words = shlex.split(line)
        except ValueError as exc:
            self.say(f"! {exc} (close your quotes)")
            return True
        if not words:
            return True
        command, args = words[0].lower(), words[1:]
        if command in ("quit", "exit"):
            return False
        handler = self.handlers.get(command)
        try:
            if handler is None:
                raise Mistake(f"unknown command '{command}': type help for the list")
            handler(args)
        except Mistake as mistake:
            self.say(f"! {mistake}")
        except Exception as exc:  # the demo never shows a traceback
            self.say(f"! that did not work: {type(exc).__name__}: {exc}")
        return True

    def completer(self, text: str, state: int) -> str | None:
        words = [*sorted(self.handlers), "quit", *sorted(self.users)]
        matches = [w for w in words if w.startswith(text)]
        return matches[state] if state < len(matches) else None

    # --- arguments ---------------------------------------------------------------------------
    def person(self, word: str) -> str:
        user = self.users.get(word.lower().lstrip("@"))
        if user is None:
            raise Mistake(f"unknown person '{word}': people are {', '.join(self.users)}")
        return user

    def project(self, word: str) -> Proposal:
        number = word.lstrip("#")
        if not number.isdigit():
            raise Mistake(f"'{word}' is not a project number (like 2 or #2)")
        proposal = self.bot.rt.uow.proposals.get(int(number))
        if proposal is None or proposal.ts is None:
            raise Mistake(f"there is no project #{number}")
        return proposal

    def expect(self, args: list[str], count: int, usage: str) -> None:
        if len(args) != count:
            raise Mistake(f"usage: {usage}")

    # --- commands ----------------------------------------------------------------------------
    def propose(self, args: list[str]) -> None:
        parsed = _propose_parser().parse_args(args)
        user = self.person(parsed.person)
        name = " ".join(parsed.name)
        languages = _languages(parsed.language, name)
        values: dict[str, object] = {
            "name": name,
            "languages": languages,
            "description": parsed.description,
            "model": parsed.model,
            "datasets": parsed.datasets,
            "training_scripts": parsed.scripts,
        }
        missing = [option for field, option in REQUIRED_OPTIONS.items() if not values[field]]
        if missing:
            raise Mistake("the form requires " + ", ".join(missing))
        result = self.demo.propose(user, values)
        answer = result["response"]
        if answer.get("response_action") == "errors":
            problems = "; ".join(f"{f}: {m}" for f, m in answer["errors"].items())
            raise Mistake(f"the form says: {problems}")
        if (answer.get("view") or {}).get("callback_id") == STEP_CALLBACK_ID:
            self.demo.show_view(user, self.demo.fake.view(result["view_id"]))
            self.say(f"@{self.names[user]} posts it as it is.")
            self.demo.fake.submit_view(user, result["view_id"], {})
        self.bot.settle()
        self.demo.show_post(self.demo.latest_post())

    def react(self, args: list[str], *, add: bool) -> None:
        self.expect(args, 2, f"{'react' if add else 'unreact'} PERSON #")
        user, proposal = self.person(args[0]), self.project(args[1])
        self.demo.react(user, str(proposal.ts), add=add)
        self.bot.settle()
        self.demo.show_post(str(proposal.ts))

    def button(self, args: list[str], action: str) -> None:
        self.expect(args, 2, f"{action.split('_')[0]} PERSON #")
        user, proposal = self.person(args[0]), self.project(args[1])
        channel = self.demo.fake.channel_id(CHANNEL)
        if proposal.status is Status.OFFICIAL and action == "join_team":
            action = "ask_to_join"
        seen = len(self.demo.fake.ephemerals(user))
        try:
            self.demo.fake.click(user, action, channel=channel, message_ts=proposal.ts)
        except ValueError:
            raise Mistake(f"project #{proposal.id} shows no such button now") from None
        self.bot.settle()
        for note in self.demo.fake.ephemerals(user)[seen:]:
            # Rendered as any message is (mrkdwn, blocks), as the organizer's notes are.
            self.demo.show_message(f"only @{self.names[user]} sees this", note)
        self.demo.show_post(str(proposal.ts))

    def edit(self, args: list[str]) -> None:
        if len(args) < 3:
            raise Mistake("usage: edit PERSON # FIELD=VALUE… (e.g. edit luca 2 outcome='A demo')")
        user, proposal = self.person(args[0]), self.project(args[1])
        if proposal.proposer_id != user:
            raise Mistake(f"only @{self.names.get(proposal.proposer_id, '?')} can edit it")
        changes: dict[str, object] = {}
        for pair in args[2:]:
            field, sep, value = pair.partition("=")
            if not sep or field not in FIELDS:
                raise Mistake(f"'{pair}' is not FIELD=VALUE with a field among {', '.join(FIELDS)}")
            changes[field] = value
        self._menu(user, proposal, "edit")
        views = self.demo.fake.views(user)
        if not views:
            notes = self.demo.fake.ephemerals(user)
            raise Mistake(self.mrkdwn(str(notes[-1].get("text", ""))) if notes else "no form")
        answer = self.demo.fake.submit_view(user, views[-1]["id"], changes).json or {}
        if answer.get("response_action") == "errors":
            problems = "; ".join(f"{f}: {m}" for f, m in answer["errors"].items())
            raise Mistake(f"the form says: {problems}")
        self.bot.settle()
        self.demo.show_post(str(proposal.ts))

    def withdraw(self, args: list[str]) -> None:
        self.expect(args, 2, "withdraw PERSON #")
        user, proposal = self.person(args[0]), self.project(args[1])
        if proposal.proposer_id != user:
            raise Mistake(f"only @{self.names.get(proposal.proposer_id, '?')} can withdraw it")
        self._menu(user, proposal, "withdraw")
        self.demo.show_post(str(proposal.ts))

    def _menu(self, user: str, proposal: Proposal, choice: str) -> None:
        """The person picks `choice` in the ⋯ menu of the project's post."""
        self.demo.fake.click(
            user,
            "proposal_menu",
            channel=self.demo.fake.channel_id(CHANNEL),
            message_ts=proposal.ts,
            selected_option=f"{choice}:{proposal.id}",
        )
        self.bot.settle()

    def show(self, args: list[str]) -> None:
        self.expect(args, 1, "show #")
        self.demo.show_post(str(self.project(args[0]).ts))

    def projects(self, args: list[str]) -> None:
        answer = self.demo.fake.slash_command(self.users["sofia"], "/projects", " ".join(args))
        self.demo.show_message("only @sofia sees this", answer.json or {})

    def home(self, args: list[str]) -> None:
        self.expect(args, 1, "home PERSON")
        user = self.person(args[0])
        self.bot.rt.bus.handle(KeepDirectory())
        self.demo.fake.open_home(user)
        self.bot.settle()
        self.bot.rt.updates.drain()
        self.demo.show_home(user)

    def official(self, args: list[str]) -> None:
        self.expect(args, 1, "official #")
        proposal = self.project(args[0])
        if proposal.status is Status.OFFICIAL:
            raise Mistake(f"project #{proposal.id} is already official")
        if proposal.status is not Status.OPEN:
            raise Mistake(f"project #{proposal.id} is {proposal.status.value}")
        self.organize(["official", str(proposal.id)])
        self.demo.show_post(str(proposal.ts))

    def organize(self, args: list[str]) -> None:
        seen = len(self.demo.fake.ephemerals(self.organizer))
        self.demo.fake.slash_command(self.organizer, "/organize", " ".join(args))
        self.bot.settle()
        notes = self.demo.fake.ephemerals(self.organizer)[seen:]
        final = [n for n in notes if not str(n.get("text", "")).startswith("Working on")]
        for note in final or notes:
            self.demo.show_message(f"only @{self.names[self.organizer]} sees this", note)
        winners = self.bot.rt.uow.demo_submissions.winners()
        if args[:1] == ["winners"] and winners is not None and winners[3] is not None:
            self.demo.show_message(f"#{CHANNEL}", self.demo.fake.message(CHANNEL, winners[3]))

    def digest(self, args: list[str]) -> None:
        self.organize(["digest"])
        self.demo.show_message(f"#{CHANNEL}", self.demo.fake.messages(CHANNEL)[-1])

    def dms(self, args: list[str]) -> None:
        self.expect(args, 1, "dms PERSON")
        user = self.person(args[0])
        self.bot.rt.updates.drain()
        if not self.demo.fake.dms(user):
            self.say(f"@{self.names[user]} has no direct message from the bot yet.")
        self.demo.show_dms(user)

    # --- the second half of the week: compute, the Hub, demos, judging -------------------------
    def _seen(self, user: str) -> tuple[int, int, set[str]]:
        """How many notes and DMs the person has had so far, and the modals open on screen."""
        fake = self.demo.fake
        opened = {str(v["id"]) for v in fake.views(user)}
        return len(fake.ephemerals(user)), len(fake.dms(user)), opened

    def _show_since(self, user: str, seen: tuple[int, int, set[str]], *, dms: bool = True) -> None:
        """What the person was shown since `seen`: notes only they see, then DMs."""
        self.bot.settle()
        self.bot.rt.updates.drain()
        name = self.names[user]
        for note in self.demo.fake.ephemerals(user)[seen[0] :]:
            if not str(note.get("text", "")).startswith("Working on"):
                self.demo.show_message(f"only @{name} sees this", note)
        if dms:
            self.demo.show_dms(user, seen[1])

    def _new_view(self, user: str, seen: tuple[int, int, set[str]]) -> dict[str, Any] | None:
        """The modal the bot opened since `seen`, if any."""
        new = [v for v in self.demo.fake.views(user) if str(v["id"]) not in seen[2]]
        return new[-1] if new else None

    def _close(self, user: str, view_id: str) -> None:
        """The person closes the modal once read (Cancel, or Close on its final state)."""
        if view_id in {str(v["id"]) for v in self.demo.fake.views(user)}:
            self.demo.fake.close_view(user, view_id)
            self.bot.settle()

    def _compute_dm(self, user: str, action: str) -> dict[str, Any]:
        """The person's newest DM with the button `action` (the team's compute message)."""
        for message in reversed(self.demo.fake.dms(user)):
            if _has_action(message, action):
                return dict(message)
        raise Mistake(f"@{self.names[user]} has no compute message (try: organize compute)")

    def compute_answer(self, args: list[str], *, works: bool) -> None:
        if works:
            self.expect(args, 1, "works PERSON")
        elif len(args) < 2:
            raise Mistake("usage: problem PERSON WORDS… (what goes wrong)")
        user = self.person(args[0])
        action = WORKS_ACTION if works else PROBLEM_ACTION
        message = self._compute_dm(user, action)
        seen, organizer = self._seen(user), self._seen(self.organizer)
        self.demo.fake.click(
            user,
            action,
            value=_action_value(message, action),
            channel=str(message["channel"]),
            message_ts=str(message["ts"]),
        )
        self.bot.settle()
        if not works:
            modal = self._new_view(user, seen)
            if modal is None:
                self._show_since(user, seen)
                return
            self.demo.show_view(user, modal)
            words = " ".join(args[1:])
            self.say(f"@{self.names[user]} types: {words}")
            answer = self.demo.fake.submit_view(user, modal["id"], {PROBLEM_BLOCK: words}).json
            if (answer or {}).get("response_action") == "errors":
                self.demo.show_view(user, modal, errors=answer["errors"])
            self._close(user, str(modal["id"]))
        self._show_since(user, seen)
        if user != self.organizer:
            self._show_since(self.organizer, organizer)

    def hub(self, args: list[str]) -> None:
        self.expect(args, 2, "hub PERSON USERNAME")
        user = self.person(args[0])
        message = self._compute_dm(user, HUB_ACTION)
        seen = self._seen(user)
        self.demo.fake.click(
            user,
            HUB_ACTION,
            value=_action_value(message, HUB_ACTION),
            channel=str(message["channel"]),
            message_ts=str(message["ts"]),
        )
        self.bot.settle()
        modal = self._new_view(user, seen)
        if modal is None:
            self._show_since(user, seen)
            return
        self.say(f"@{self.names[user]} types: {args[1]}")
        answer = self.demo.fake.submit_view(user, modal["id"], {HUB_BLOCK: args[1]}).json or {}
        if answer.get("response_action") == "errors":
            # As Slack shows it: the modal stays open, the error under the field (then the
            # person cancels it; typing hub again opens a new one).
            self.demo.show_view(user, self.demo.fake.view(modal["id"]), errors=answer["errors"])
        self._close(user, str(modal["id"]))
        self._show_since(user, seen)

    def submit(self, args: list[str]) -> None:
        if len(args) < 3:
            raise Mistake("usage: submit PERSON URL SUMMARY… (e.g. submit asha https://… A demo)")
        user = self.person(args[0])
        seen = self._seen(user)
        channel = self.demo.fake.channel_id(CHANNEL)
        self.demo.fake.slash_command(user, "/submit", "", channel=channel)
        self.bot.settle()
        form = self._new_view(user, seen)
        if form is None:  # refused: the bot said why, to the person only
            self._show_since(user, seen, dms=False)
            return
        self.demo.show_view(user, form)
        values = {DEMO: args[1], SUMMARY: " ".join(args[2:])}
        self.demo.typed(user, values)
        answer = self.demo.fake.submit_view(user, form["id"], values).json or {}
        if answer.get("response_action") == "errors":
            self.demo.show_view(user, self.demo.fake.view(form["id"]), errors=answer["errors"])
            self._close(user, str(form["id"]))
            return
        self.demo.show_view(user, self.demo.fake.view(form["id"]))
        self._close(user, str(form["id"]))
        self.bot.settle()
        self.bot.rt.updates.drain()
        pid = int(str(form.get("private_metadata") or 0))
        proposal = self.bot.rt.uow.proposals.get(pid)
        thread_ts, line_ts, _ = self.bot.rt.uow.demo_submissions.announced(pid)
        if proposal is not None and proposal.ts is not None and thread_ts is not None:
            reply = self.demo.fake.message(CHANNEL, thread_ts)
            self.demo.show_message(f"#{CHANNEL} thread of project #{pid}", reply)
        if line_ts is not None:
            self.demo.show_message(f"#{CHANNEL}", self.demo.fake.message(CHANNEL, line_ts))

    def score(self, args: list[str]) -> None:
        criteria = [criterion_key(c) for c in self.bot.rt.settings.JUDGING_CRITERIA]
        usage = f"score JUDGE # {' '.join('N' * len(criteria))} [COMMENT…]"
        if len(args) < 2 + len(criteria):
            raise Mistake(f"usage: {usage} (one score from 1 to 5 per criterion)")
        judge, proposal = self.person(args[0]), self.project(args[1])
        if judge not in self.judges:
            named = ", ".join(self.names[j] for j in self.judges)
            raise Mistake(f"@{self.names[judge]} is not a judge: the judges are {named}")
        scores = args[2 : 2 + len(criteria)]
        if not all(n.isdigit() and LOWEST <= int(n) <= HIGHEST for n in scores):
            raise Mistake(f"each score is a number from {LOWEST} to {HIGHEST}: {' '.join(scores)}")
        self.demo.fake.open_home(judge)
        self.bot.settle()
        home = self.demo.fake.home(judge)
        block = f"judge-{proposal.id}"
        if home is None or not _has_action(home, SCORE_ACTION, block):
            # Not on the judge's list: the bot says why (its own team, no demo yet, closed).
            said = self.bot.rt.bus.handle(OpenScoring(judge, proposal.id))
            if isinstance(said, ScoringRefused):
                raise Mistake(self.mrkdwn(said.message))
            raise Mistake(f"@{self.names[judge]}'s Home tab shows no Score for #{proposal.id}")
        seen = self._seen(judge)
        self.demo.fake.click(
            judge, SCORE_ACTION, value=str(proposal.id), block_id=block, view_id=home["id"]
        )
        self.bot.settle()
        modal = self._new_view(judge, seen)
        if modal is None:
            self._show_since(judge, seen)
            return
        self.demo.show_view(judge, modal)
        values = dict(zip(criteria, scores, strict=True))
        if comment := " ".join(args[2 + len(criteria) :]):
            values[COMMENT] = comment
        self.demo.typed(judge, values)
        answer = self.demo.fake.submit_view(judge, modal["id"], values).json or {}
        if answer.get("response_action") == "errors":
            self.demo.show_view(judge, self.demo.fake.view(modal["id"]), errors=answer["errors"])
        else:
            self.demo.show_view(judge, self.demo.fake.view(modal["id"]))
        self._close(judge, str(modal["id"]))


def _elements(container: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(block_id, element) of every button and menu in a message or a view."""
    found = []
    for block in container.get("blocks") or []:
        block_id = str(block.get("block_id", ""))
        for element in [*(block.get("elements") or []), block.get("accessory")]:
            if isinstance(element, dict) and "action_id" in element:
                found.append((block_id, element))
    return found


def _has_action(container: dict[str, Any], action: str, block_id: str | None = None) -> bool:
    return any(e["action_id"] == action and block_id in (None, b) for b, e in _elements(container))


def _action_value(container: dict[str, Any], action: str) -> str | None:
    for _, element in _elements(container):
        if element["action_id"] == action:
            return str(element.get("value"))
    return None


def _languages(option: str, name: str) -> list[str]:
    """Language slugs from --language (names or slugs) or, without it, from the name."""
    by_label = {label.lower(): slug for slug, label in LANGUAGE_LABELS.items()}
    if option:
        chosen = []
        for word in (w.strip().lower() for w in option.split(",") if w.strip()):
            slug = word if word in LANGUAGE_LABELS else by_label.get(word)
            if slug is None:
                raise Mistake(f"unknown language '{word}'")
            chosen.append(slug)
        return chosen
    found = [slug for slug in sorted(languages_in(name)) if slug in LANGUAGE_LABELS]
    return found or ["english"]

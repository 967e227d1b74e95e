"""`slackbot demo --interactive`: type the week's actions yourself, as any person, against the
real bot and the local stand-in of Slack. Every surface the bot has is a command; every mistake
is answered in one line (never a traceback)."""

from __future__ import annotations

import argparse
import re
import shlex
from collections.abc import Callable
from typing import Any

from slackbot.blocks.before_you_post import CALLBACK_ID as STEP_CALLBACK_ID
from slackbot.domain.proposal import Proposal, Status
from slackbot.domain.vocabulary import LANGUAGE_LABELS, languages_in
from slackbot.local import CHANNEL, LocalBot
from slackbot.services.people_directory import directory_job
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


def help_text(people: list[str], organizer: str, *, width: int = DEFAULT_WIDTH) -> str:
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
    people_line = f"people: {', '.join(people)} ({organizer} is the organizer)"
    hang = " " * len("people: ")
    wrapped = wrap(people_line[len(hang) :], width - len(hang))
    lines += [(hang if i else "people: ") + line for i, line in enumerate(wrapped)]
    return "\n".join(lines)


class Interactive:
    """The command loop; `demo` is a started Demo (its printing and its people)."""

    def __init__(self, demo: Any, bot: LocalBot, people: dict[str, str], organizer: str):
        self.demo = demo
        self.bot = bot
        self.users = {name: uid for uid, name in people.items()}
        self.names = people
        self.organizer = organizer
        self.handlers: dict[str, Callable[[list[str]], None]] = {
            "help": lambda _args: self.say(
                help_text(list(self.users), people[organizer], width=self.demo.width)
            ),
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
        }

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
        proposal = self.bot.rt.proposals.get(int(number))
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
        directory_job(self.bot.rt)
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

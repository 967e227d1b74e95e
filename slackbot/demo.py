"""`slackbot demo`: a short community week, played against a local stand-in of Slack.

The real bot runs in HTTP mode with signed requests and a real database (`LocalBot`); only the
Web API is the stand-in. People act through the stand-in the way Slack would deliver their
actions, and the terminal shows what each of them would see, rendered from the Block Kit the
bot actually sent.
"""

from __future__ import annotations

import logging
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TextIO

from slackbot.demo_html import page
from slackbot.demo_interactive import Interactive
from slackbot.domain.proposal import Status
from slackbot.local import CHANNEL, LocalBot, hub_settings, open_propose_modal
from slackbot.sandbox import FakeSlack
from slackbot.sandbox.hub import FakeHub, standard_hub
from slackbot.services import digest_posting, export
from slackbot.services.compute import ImportCompute
from slackbot.services.people_directory import KeepDirectory
from slackbot.terminal import render_blocks, render_message, render_view, terminal_width
from slackbot.text_layout import fit

PEOPLE = {
    "U0ASHA": "asha",
    "U0RAVI": "ravi",
    "U0MEERA": "meera",
    "U0LUCA": "luca",
    "U0SOFIA": "sofia",
    "U0SUZANA": "suzana",
}
ORGANIZER = "U0SUZANA"
# The jury of the end of the week (JUDGE_IDS): two people from outside the teams, who are not
# in the week's channel.
JUDGES = {"U0PATRICK": "patrick", "U0NIKITA": "nikita"}
EVERYONE = {**PEOPLE, **JUDGES}
SPACE = "https://huggingface.co/spaces/flax-community/roberta-hindi"
STEP_PAUSE = 1.5  # seconds between the scripted demo's steps, on a terminal


def typed_proposal(
    name: str,
    *,
    languages: list[str],
    description: str,
    model: str,
    datasets: str,
    training_scripts: str,
    **optional: str,
) -> dict[str, object]:
    """What a person types into the form: every answer the form requires, given by the script
    (nothing filled in for them), and the optional ones they chose to give."""
    return {
        "name": name,
        "description": description,
        "languages": languages,
        "model": model,
        "datasets": datasets,
        "training_scripts": training_scripts,
        **optional,
    }


class Demo:
    def __init__(
        self,
        out: TextIO = sys.stdout,
        *,
        color: bool | None = None,
        workdir: Path | None = None,
        pause: float = 0.0,
        width: int | None = None,
    ) -> None:
        self.out = out
        self.color = out.isatty() if color is None else color
        self.width = terminal_width(out) if width is None else width
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix="community-week-demo-"))
        self.fake = FakeSlack()
        # The Hub's API on loopback (its checkpoints and datasets of 2021): the bot checks the
        # models and datasets named, as it does with HUB_CHECKS on, and no demo asks the real Hub.
        self.hub = standard_hub(FakeHub())
        self.bot: LocalBot | None = None
        self.step = 0
        self.pause = pause  # seconds between steps, on a terminal (0: --fast, tests, pipes)
        self._posts: dict[str, list[str]] = {}  # ts -> the post's lines as last shown
        self._modals: list[tuple[str, dict[str, Any]]] = []  # (who, view) as shown

    # --- set-up --------------------------------------------------------------------------
    def start(self, *, judges_in_channel: bool = False) -> LocalBot:
        """The stand-ins and the bot. The judges are in the week's channel only when asked
        (the interactive mode, where a judge may also propose and join a team)."""
        self.fake.start()
        self.hub.start()
        for user_id, name in EVERYONE.items():
            self.fake.add_user(user_id, name)
        members = list(EVERYONE) if judges_in_channel else list(PEOPLE)
        self.fake.add_channel(CHANNEL, members=members)
        self.bot = LocalBot(
            self.fake,
            self.workdir / "community_week.db",
            ORGANIZER_IDS=ORGANIZER,
            JUDGE_IDS=",".join(JUDGES),
            TEAM_SIZE_THRESHOLD=3,
            TEAM_SIZE_MAX=5,
            **hub_settings(self.hub),
        ).start()
        return self.bot

    def stop(self) -> None:
        if self.bot is not None:
            self.bot.stop()
        self.fake.stop()
        self.hub.stop()

    # --- printing ------------------------------------------------------------------------
    def say(self, text: str = "", *, verbatim: bool = False) -> None:
        print(text if verbatim else fit(text, self.width), file=self.out)

    def progress(self, total: int, text: str) -> None:
        if self.step and self.pause:
            time.sleep(self.pause)
        self.step += 1
        self.say()
        bar = f"[{self.step}/{total}]"
        self.say(f"\033[1;36m{bar} {text}\033[0m" if self.color else f"{bar} {text}")

    def names(self) -> dict[str, str]:
        return {**EVERYONE, self.fake.bot_user_id: "community-week"}

    def channels(self) -> dict[str, str]:
        return {str(c["id"]): str(c["name"]) for c in self.fake.channels.values()}

    def links(self) -> dict[str, str]:
        """Each post's permalink, shown short: "#flax-jax-community-week › project #2"."""
        if self.bot is None:
            return {}
        return {
            p.permalink: f"#{CHANNEL} › project #{p.id}"
            for p in self.bot.rt.uow.proposals.with_status(*Status)
            if p.permalink
        }

    def render(self, message: dict[str, Any], *, width: int | None = None) -> str:
        return render_message(
            message,
            names=self.names(),
            channel_names=self.channels(),
            color=self.color,
            links=self.links(),
            width=width or self.width,
        )

    def show_message(self, where: str, message: dict[str, Any]) -> None:
        self.say(f"── {where} " + "─" * max(0, 60 - len(where)))
        self.say(self.render(message))

    def show_view(
        self, who: str, view: dict[str, Any], errors: dict[str, str] | None = None
    ) -> None:
        self._modals.append((EVERYONE.get(who, who), dict(view)))
        self.say(f"── modal shown to @{EVERYONE.get(who, who)} " + "─" * 30)
        self.say(
            render_view(
                view,
                names=self.names(),
                channel_names=self.channels(),
                errors=errors,
                color=self.color,
                links=self.links(),
                width=self.width,
            )
        )

    def show_post(self, ts: str) -> None:
        """A post; shown again, only the lines that changed (+ new, - gone)."""
        assert self.bot is not None
        self.bot.rt.updates.drain()
        message = self.fake.message(CHANNEL, ts)
        # Laid out 2 columns narrower, so that the "+ " and "- " of a change fit the line.
        lines = self.render(message, width=self.width - 2).splitlines()[1:]  # no "who, when"
        before = self._posts.get(ts)
        self._posts[ts] = lines
        if before is None:
            self.show_message(f"#{CHANNEL}", message)
            return
        self.say(f"── #{CHANNEL} › project #{self._project_of(ts)}, what changed " + "─" * 12)
        changed = [f"- {line}" for line in before if line not in lines]
        changed += [f"+ {line}" for line in lines if line not in before]
        self.say("\n".join(changed) if changed else "(nothing changed)")

    def _project_of(self, ts: str) -> str:
        assert self.bot is not None
        found = self.bot.rt.uow.proposals.by_message(self.bot.rt.channel_id, ts)
        return str(found.id) if found else "?"

    def typed(self, who: str, values: Mapping[str, object]) -> None:
        """What a person typed into the form, values only."""
        self.say(f"@{EVERYONE.get(who, who)} types:")
        for field, value in values.items():
            shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
            self.say(f"  {field.replace('_', ' ')}: {shown}")

    def show_home(self, user: str) -> None:
        home = self.fake.home(user)
        if home is None:
            self.say(f"@{EVERYONE.get(user, user)} has not opened the Home tab.")
            return
        self.say(f"── Home tab of @{EVERYONE.get(user, user)} " + "─" * 30)
        self.say(
            render_blocks(
                home["blocks"],
                names=self.names(),
                channel_names=self.channels(),
                color=self.color,
                links=self.links(),
                width=self.width,
            )
        )

    def show_dms(self, user: str, since: int = 0) -> int:
        messages = self.fake.dms(user)
        for message in messages[since:]:
            self.show_message(f"DM to @{EVERYONE.get(user, user)}", message)
        return len(messages)

    # --- people's actions ----------------------------------------------------------------
    def propose(
        self, user: str, values: dict[str, object], *, show_modal: bool = False
    ) -> dict[str, Any]:
        view_id = open_propose_modal(self.fake, user, str(values.get("name", "")))
        if show_modal:
            self.show_view(user, self.fake.view(view_id))
        response = self.fake.submit_view(user, view_id, values)
        return {"view_id": view_id, "response": response.json or {}}

    def react(self, user: str, ts: str, emoji: str = "raised_hand", *, add: bool = True) -> None:
        channel = self.fake.channel_id(CHANNEL)
        if add:
            self.fake.react(user, channel, ts, emoji)
        else:
            self.fake.unreact(user, channel, ts, emoji)

    def latest_post(self) -> str:
        return str(self.fake.messages(CHANNEL)[-1]["ts"])

    # --- the scripted week ---------------------------------------------------------------
    def write_html(self, path: Path) -> None:
        """The week as one HTML page that looks like Slack (see demo_html.py)."""
        messages = [
            (message, self.fake.thread(CHANNEL, str(message["ts"])))
            for message in self.fake.messages(CHANNEL)
        ]
        homes = {
            name: home
            for uid, name in EVERYONE.items()
            if (home := self.fake.home(uid)) is not None
        }
        path.write_text(
            page(
                title="Flax/JAX community week",
                channel=(CHANNEL, messages),
                dms={name: self.fake.dms(uid) for uid, name in EVERYONE.items()},
                modals=self._modals,
                homes=homes,
                names=self.names(),
                channel_names=self.channels(),
            ),
            encoding="utf-8",
        )

    def play(self, html: Path | None = None) -> dict[str, Any]:
        bot = self.start()
        total = 18
        try:
            self.say(
                "A community week in #flax-jax-community-week, with the real bot and a "
                "local stand-in of Slack."
            )
            self.say(f"The bot is listening on {bot.server.url} (signed requests, HTTP mode).")

            self.progress(total, "@asha runs `/propose` and fills in the template")
            hindi = typed_proposal(
                "Train a language model",
                languages=["hindi"],
                description="Pre-train a RoBERTa model on Hindi text from scratch, then "
                "fine-tune it for news classification.",
                model="roberta-bse",  # a typo, as in many 2021 proposals
                datasets="oscar (Hindi part)",
                training_scripts="run_mlm_flax.py from the transformers examples",
                reads="https://arxiv.org/abs/1907.11692",
            )
            self.typed("U0ASHA", hindi)
            self.say(
                "She submits. Nothing is refused; the bot suggests, once, what the week's guide "
                "says, and tells her what the Hugging Face Hub knows of her model:"
            )
            first = self.propose("U0ASHA", hindi)
            self.show_view("U0ASHA", self.fake.view(first["view_id"]))
            self.progress(
                total,
                "@asha clicks “◀ Edit my proposal”, renames it, corrects the model, and posts",
            )
            self.fake.click("U0ASHA", "back_to_draft", view_id=first["view_id"])
            hindi["name"] = "PreTrain RoBERTa from scratch in Hindi"
            hindi["model"] = "roberta-base"
            self.fake.submit_view("U0ASHA", first["view_id"], hindi)
            hindi_ts = self.latest_post()
            self.show_post(hindi_ts)
            self.show_dms("U0ASHA")

            self.progress(total, "@luca proposes the same idea in another language (Italian)")
            self.propose(
                "U0LUCA",
                typed_proposal(
                    "PreTrain RoBERTa from scratch in Italian",
                    languages=["italian"],
                    description="The Hindi idea, for Italian: pre-train RoBERTa on Italian "
                    "web text, then share the model on the hub.",
                    model="roberta-base",
                    datasets="https://huggingface.co/datasets/oscar",
                    training_scripts="run_mlm_flax.py, as for the Hindi project",
                ),
            )
            italian_ts = self.latest_post()
            self.show_post(italian_ts)

            self.progress(total, "@ravi proposes nearly the same idea, in Hindi too")
            seen = len(self.fake.dms(ORGANIZER))
            duplicate = self.propose(
                "U0RAVI",
                typed_proposal(
                    "Pre-training a RoBERTa model on Hindi text from scratch",
                    languages=["hindi"],
                    description="A RoBERTa model for Hindi, trained from scratch.",
                    model="RoBERTa",
                    datasets="oscar (hi)",
                    training_scripts="run_mlm_flax.py",
                ),
            )
            self.say("Instead of posting, the modal shows him the existing project:")
            self.show_view("U0RAVI", self.fake.view(duplicate["view_id"]))
            self.fake.click("U0RAVI", "join_similar", view_id=duplicate["view_id"])
            self.say("He clicks “Join this team”:")
            self.show_view("U0RAVI", self.fake.view(duplicate["view_id"]))

            self.progress(total, "@meera joins the Hindi project by reacting :raised_hand:")
            self.react("U0MEERA", hindi_ts, "raised_hand::skin-tone-4")
            # Slack delivers the same event again (a retry): it is counted once.
            envelope = self.fake.last_event_envelope
            assert envelope is not None
            self.fake.redeliver(envelope)
            self.show_post(hindi_ts)
            bot.rt.updates.drain()
            self.say("She hears once where she stands:")
            self.show_dms("U0MEERA")
            self.say("The team reached its threshold: the organizer is alerted once.")
            self.show_dms(ORGANIZER, seen)

            channel = self.fake.channel_id(CHANNEL)
            # The people's names, as the scheduled job reads them.
            bot.rt.bus.handle(KeepDirectory())
            # The week's compute, loaded by the organizers (`slackbot compute import pool.csv`).
            bot.rt.bus.handle(
                ImportCompute(
                    "cli",
                    "label,details,kind\ntpu-vm-1,zone europe-west4-a: gcloud compute tpus "
                    "tpu-vm ssh tpu-vm-1 --zone europe-west4-a,TPU v3-8\n",
                )
            )
            self.progress(total, "@suzana (organizer) clicks “Make team official”")
            alert = self.fake.dms(ORGANIZER)[-1]
            self.fake.click(
                ORGANIZER, "make_official", channel=alert["channel"], message_ts=alert["ts"]
            )
            for reply in self.fake.thread(CHANNEL, hindi_ts):
                self.show_message(f"#{CHANNEL} thread", reply)
            self.show_post(hindi_ts)
            team_channel = bot.rt.uow.memberships.official_channel(1)
            if team_channel is not None:
                welcome = self.fake.messages(team_channel)[0]
                self.show_message("#team channel, its first message", welcome)
                self.say("(the proposal follows it, pinned in the channel)")

            self.progress(
                total,
                "The team receives its machine; @asha confirms, @meera gives her Hub username",
            )
            compute_dm = next(
                m for m in reversed(self.fake.dms("U0ASHA")) if "compute_works" in str(m)
            )
            self.show_message("DM to @asha (and to each member)", compute_dm)
            self.fake.click(
                "U0ASHA", "compute_works", value="1", channel="U0ASHA", message_ts=compute_dm["ts"]
            )
            self.show_message("only @asha sees this", self.fake.ephemerals("U0ASHA")[-1])
            meera = next(m for m in reversed(self.fake.dms("U0MEERA")) if "hub_username" in str(m))
            self.fake.click(
                "U0MEERA", "hub_username", value="hub", channel="U0MEERA", message_ts=meera["ts"]
            )
            hub_view = self.fake.views("U0MEERA")[-1]
            self.fake.submit_view("U0MEERA", hub_view["id"], {"hub_username": "meera-k"})
            self.show_message("DM to @meera", self.fake.dms("U0MEERA")[-1])

            self.progress(total, "@sofia joins the Italian project with its button, then leaves")
            self.fake.click("U0SOFIA", "join_team", channel=channel, message_ts=italian_ts)
            self.show_post(italian_ts)
            self.fake.click("U0SOFIA", "leave_team", channel=channel, message_ts=italian_ts)
            self.show_post(italian_ts)

            self.progress(total, "The morning digest is posted")
            outcome = bot.rt.bus.handle(digest_posting.PostDigestNow())
            self.show_message(f"#{CHANNEL}", self.fake.messages(CHANNEL)[-1])

            self.progress(total, "@sofia browses with `/projects italian`")
            answer = self.fake.slash_command("U0SOFIA", "/projects", "italian").json or {}
            self.show_message("only @sofia sees this", answer)

            self.progress(total, "@luca edits his proposal from the ⋯ menu on its post")
            self.fake.click(
                "U0LUCA",
                "proposal_menu",
                channel=channel,
                message_ts=italian_ts,
                selected_option="edit:2",
            )
            edit = self.fake.views("U0LUCA")[-1]
            self.fake.submit_view(
                "U0LUCA", edit["id"], {"outcome": "A fill-mask demo on the hub for Italian"}
            )
            self.show_post(italian_ts)

            self.progress(total, "@sofia proposes a project, then withdraws it")
            self.propose(
                "U0SOFIA",
                typed_proposal(
                    "GPT2 for Bengali poetry generation",
                    languages=["bengali"],
                    description="Fine-tune GPT-2 on Bengali poems so that it writes new ones.",
                    model="gpt2",
                    datasets="A collection of Bengali poems, to be gathered from public sources",
                    training_scripts="run_clm_flax.py from the transformers examples",
                ),
            )
            bengali_ts = self.latest_post()
            self.fake.click(
                "U0SOFIA",
                "proposal_menu",
                channel=channel,
                message_ts=bengali_ts,
                selected_option="withdraw:3",
            )
            self.show_post(bengali_ts)

            self.progress(total, "The Italian idea is popular: its waitlist becomes a second team")
            self.fake.slash_command(ORGANIZER, "/organize", "limits 2 2 2", channel=channel)
            for person in ("U0RAVI", "U0MEERA", "U0SOFIA"):
                self.react(person, italian_ts)
            bot.settle()
            bot.rt.updates.drain()
            full = next(m for m in self.fake.dms(ORGANIZER) if "over-subscribed" in m["text"])
            self.show_message("DM to @suzana", full)
            self.fake.click(
                ORGANIZER, "second_team_waitlist", channel=full["channel"], message_ts=full["ts"]
            )
            self.show_post(self.latest_post())
            bot.settle()
            bot.rt.updates.drain()
            # Sent by whichever sender holds the notices: wait for it rather than skip it.
            moved = self.fake.wait_for(
                lambda: [m for m in self.fake.dms("U0SOFIA") if "moved you into" in m["text"]],
                timeout=15,
            )
            self.show_message("DM to @sofia", moved[-1])

            self.progress(total, "@suzana opens the bot's Home tab: the week at a glance")
            # The channel's members and names, as the scheduled job does.
            bot.rt.bus.handle(KeepDirectory())
            self.fake.open_home(ORGANIZER)
            bot.settle()
            bot.rt.updates.drain()
            self.show_home(ORGANIZER)

            self.end_of_the_week(total, team_channel)
            bot.rt.bus.handle(KeepDirectory())  # the judges' names, as the scheduled job reads them

            bot.rt.updates.drain()
            self.say()
            self.say(f"The database is at {bot.database}")
            self.say("The organizers' export (`slackbot export --format csv`):")
            self.say(bot.rt.bus.handle(export.ExportSheet("csv")).rstrip(), verbatim=True)
            self.say(
                f"Try: DATABASE_PATH={bot.database} slackbot export --format json", verbatim=True
            )
            if html is not None:
                self.fake.open_home("U0LUCA")
                bot.settle()
                bot.rt.updates.drain()
                self.write_html(html)
                self.say(f"The week as a web page: {html}")
            proposals = bot.rt.uow.proposals.with_status(*Status)
            return {
                "proposals": len(proposals),
                "official": [p.name for p in proposals if p.status.value == "official"],
                "withdrawn": [p.name for p in proposals if p.status.value == "withdrawn"],
                "edited": [p.name for p in proposals if p.edited_at],
                "digest": outcome,
                "violations": list(self.fake.violations),
            }
        finally:
            self.stop()

    def end_of_the_week(self, total: int, team_channel: str | None) -> None:
        """The demo submitted, two judges scoring it, the results and the winner."""
        bot = self.bot
        assert bot is not None and team_channel is not None
        hindi = 1
        self.progress(total, "@meera submits the team's demo: `/submit` in the team channel")
        self.fake.slash_command("U0MEERA", "/submit", channel=team_channel)
        bot.settle()
        form = self.fake.views("U0MEERA")[-1]
        self.show_view("U0MEERA", form)
        demo = {
            "demo_url": SPACE,
            "models": "flax-community/roberta-base-hindi",
            "summary": "Type a Hindi headline; the model says which section of the news it "
            "belongs to.",
        }
        self.typed("U0MEERA", demo)
        self.fake.submit_view("U0MEERA", form["id"], demo)
        self.say("The form says it is done:")
        self.show_view("U0MEERA", self.fake.view(form["id"]))
        bot.settle()
        bot.rt.updates.drain()
        proposal = bot.rt.uow.proposals.get(hindi)
        assert proposal is not None and proposal.ts is not None
        self.say("The bot announces it once, in the proposal's thread and in the channel:")
        thread_ts, line_ts, _ = bot.rt.uow.demo_submissions.announced(hindi)
        for reply in self.fake.thread(CHANNEL, proposal.ts):
            if reply.get("ts") == thread_ts:
                self.show_message(f"#{CHANNEL} thread", reply)
        if line_ts is not None:
            self.show_message(f"#{CHANNEL}", self.fake.message(CHANNEL, line_ts))

        self.progress(total, "Two judges, @patrick and @nikita, score it from their Home tab")
        self.fake.open_home("U0PATRICK")
        bot.settle()
        self.show_home("U0PATRICK")
        given = [
            (
                "U0PATRICK",
                {
                    "the_demo": "5",
                    "technical_difficulty": "4",
                    "social_impact": "4",
                    "innovativeness": "3",
                    "comment": "Works on every headline I tried.",
                },
            ),
            (
                "U0NIKITA",
                {
                    "the_demo": "4",
                    "technical_difficulty": "4",
                    "social_impact": "5",
                    "innovativeness": "3",
                    "comment": "",
                },
            ),
        ]
        for judge, scores in given:
            self.fake.open_home(judge)
            bot.settle()
            home = self.fake.home(judge)
            assert home is not None
            self.fake.click(
                judge,
                "score_demo",
                value=str(hindi),
                block_id=f"judge-{hindi}",
                view_id=home["id"],
            )
            bot.settle()
            modal = self.fake.views(judge)[-1]
            if judge == "U0PATRICK":
                self.say("He clicks “Score”:")
                self.show_view(judge, modal)
            self.typed(judge, scores)
            self.fake.submit_view(judge, modal["id"], scores)
        self.say("Each judge sees only their own scores; the team sees none.")

        self.progress(total, "@suzana reads the ranking: `/organize results`")
        self.fake.slash_command(
            ORGANIZER, "/organize", "results", channel=self.fake.channel_id(CHANNEL)
        )
        bot.settle()
        self.show_message(f"only @{PEOPLE[ORGANIZER]} sees this", self._last_answer(ORGANIZER))

        self.progress(total, "@suzana announces the winner: `/organize winners 1`")
        self.fake.slash_command(
            ORGANIZER, "/organize", "winners 1", channel=self.fake.channel_id(CHANNEL)
        )
        bot.settle()
        self.show_message(f"only @{PEOPLE[ORGANIZER]} sees this", self._last_answer(ORGANIZER))
        winners = bot.rt.uow.demo_submissions.winners()
        assert winners is not None and winners[3] is not None
        self.show_message(f"#{CHANNEL}", self.fake.message(CHANNEL, winners[3]))
        self.show_message("#team channel", self.fake.messages(team_channel)[-1])

    def _last_answer(self, user: str) -> dict[str, Any]:
        """The last answer the person saw, not the "Working on…" of a deferred command."""
        said = [
            m
            for m in self.fake.ephemerals(user)
            if not str(m.get("text", "")).startswith("Working on")
        ]
        return said[-1]

    # --- interactive ---------------------------------------------------------------------
    def interactive(self, read: Callable[[str], str] | None = None) -> None:
        bot = self.start(judges_in_channel=True)
        loop = Interactive(self, bot, EVERYONE, ORGANIZER, judges=list(JUDGES))
        if read is None:
            read = input
            _tab_completion(loop.completer)
        self.say(loop.help())
        try:
            while True:
                try:
                    line = read("demo> ")
                except (EOFError, KeyboardInterrupt):
                    break
                if not loop.run_line(line):
                    break
        finally:
            self.say(f"The database is at {bot.database}")
            self.stop()


def _tab_completion(completer: Callable[[str, int], str | None]) -> None:
    """Complete commands and people with Tab, where the terminal has readline."""
    try:
        import readline
    except ImportError:  # Windows without pyreadline: typing works, Tab does not
        return
    readline.set_completer(completer)
    readline.parse_and_bind("tab: complete")


def _button_value(message: dict[str, Any], action_id: str) -> str | None:
    for block in message.get("blocks") or []:
        for element in block.get("elements") or []:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return str(element.get("value"))
    return None


def main(interactive: bool = False, *, fast: bool = False, html: str | None = None) -> int:
    logging.basicConfig(level=logging.WARNING)
    pause = 0.0 if fast or html or not sys.stdout.isatty() else STEP_PAUSE
    demo = Demo(pause=pause)
    if interactive:
        demo.interactive()
        return 0
    result = demo.play(html=Path(html) if html else None)
    return 0 if not result["violations"] else 1

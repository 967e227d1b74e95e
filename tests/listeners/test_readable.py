"""Everything the bot makes Slack show in a week's story, read the way a screen reader, a
notification and a person in another time zone read it: every time a Slack date token, every
message a sentence as its `text`, every ambiguous button labelled. Over signed HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from slackbot.local import CHANNEL, LocalBot, open_propose_modal, post_proposal, proposal_values
from slackbot.sandbox import FakeSlack
from slackbot.services import digest_posting
from slackbot.services.compute import ImportCompute
from tests.conftest import PEOPLE

NAME = "Pretrain RoBERTa in Hindi"
OTHER = "GPT2 poetry generation in German"


def days_from_now(days: int) -> str:
    return (datetime.now(timezone.utc) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[tuple[str, Any]]]:
    """A week, told once for every test here: proposals, joins, the organizers' alert and
    decision, the welcome, a leave, Home tabs (a member's, an organizer's dashboard), a
    digest, /projects, a proposal pasted after the deadline passed; a similar proposal held at
    "Before you post", the team's machine (It works / Problem), its welcome's buttons, /submit's
    form and a judge's Home tab. Yields what Slack showed."""
    tmp: Path = tmp_path_factory.mktemp("story")
    welcome = tmp / "welcome.md"
    welcome.write_text("# Welcome, {team_name}\n**Compute**: ask {organizers}.\n- {members}\n")
    slack = FakeSlack().start()
    for user_id, name in PEOPLE.items():
        slack.add_user(user_id, name)
    slack.add_user("U0JUDGE", "nikita")  # the jury is not in the week's channel
    slack.add_channel(CHANNEL, members=list(PEOPLE))
    if True:
        bot = LocalBot(
            slack,
            tmp / "story.db",
            ORGANIZER_IDS="U0ORG1,U0ORG2",
            TEAM_SIZE_THRESHOLD=3,
            TEAM_SIZE_MAX=4,
            TEAM_WELCOME_FILE=str(welcome),
            PROPOSALS_CLOSE_AT=days_from_now(2),
            TEAMS_CLOSE_AT=days_from_now(5),
            JUDGE_IDS="U0JUDGE",
        ).start()
        try:
            channel = slack.channel_id(CHANNEL)
            ts = post_proposal(slack, "U0ALICE", NAME, languages=["hindi"])
            other = post_proposal(slack, "U0BOB", OTHER, languages=["german"], model="gpt2")
            # The same idea, in the same language: held at "Before you post", with a Join button.
            similar = open_propose_modal(slack, "U0FRANK")
            slack.submit_view(
                "U0FRANK",
                similar,
                proposal_values(
                    "Pre-training a RoBERTa model on Hindi text from scratch",
                    languages=["hindi"],
                    model="RoBERTa",
                ),
            )
            bot.rt.bus.handle(
                ImportCompute("cli", "label,details,kind\ntpu-vm-1,ssh tpu-vm-1,TPU v3-8\n")
            )
            slack.react("U0BOB", channel, ts, "raised_hand")
            slack.click("U0CAROL", "join_team", channel=channel, message_ts=ts)
            slack.react("U0DAVE", channel, other, "raised_hand")
            bot.settle()
            bot.rt.updates.drain()
            alert = slack.dms("U0ORG1")[-1]
            slack.click("U0ORG1", "make_official", channel=alert["channel"], message_ts=alert["ts"])
            bot.settle()
            bot.rt.updates.drain()
            team_channel = bot.rt.uow.memberships.official_channel(1)
            assert team_channel is not None
            slack.slash_command("U0BOB", "/submit", channel=team_channel)
            bot.settle()
            form = slack.views("U0BOB")[-1]
            slack.submit_view(
                "U0BOB",
                form["id"],
                {
                    "demo_url": "https://huggingface.co/spaces/flax-community/roberta-hindi",
                    "models": "flax-community/roberta-base-hindi",
                    "summary": "Type a Hindi headline; the model says its section.",
                },
            )
            slack.open_home("U0JUDGE")
            slack.click("U0DAVE", "leave_team", channel=channel, message_ts=other)
            slack.click("U0ERIN", "ask_to_join", channel=channel, message_ts=ts)
            for person in ("U0CAROL", "U0ORG1", "U0ERIN"):
                slack.open_home(person)
            slack.slash_command("U0ERIN", "/projects", "")
            bot.settle()
            bot.rt.updates.drain()
            bot.rt.bus.handle(digest_posting.PostDigestNow())
            bot.rt.settings.PROPOSALS_CLOSE_AT = days_from_now(-1)
            slack.slash_command("U0FRANK", "/propose", "# Late idea\n## Model\nt5-base")
            bot.settle()
            yield slack.shown()
        finally:
            bot.stop()
            slack.stop()
        assert slack.violations == [], "the bot sent Slack something it would refuse"


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in ("value", "action_id", "block_id", "callback_id", "private_metadata"):
                yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def buttons(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        if value.get("type") == "button":
            yield value
        for item in value.values():
            yield from buttons(item)
    elif isinstance(value, list):
        for item in value:
            yield from buttons(item)


def is_message(where: str) -> bool:
    return not where.startswith(("view", "views."))


DATE_TOKEN = re.compile(r"<!date\^\d+\^[^|>]*(?:\|[^>]*)?>")
CLOCK = re.compile(
    r"\b\d{1,2}:\d{2}\b|\bUTC\b|\b\d{4}-\d{2}-\d{2}\b"
    r"|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{1,2}\b"
)
EMOJI = re.compile(r":[a-z0-9_+-]+:")
MESSAGE_METHODS = ("chat.postMessage", "chat.update", "chat.postEphemeral", "response_url")


def test_every_time_shown_is_a_slack_date_token(story: list[tuple[str, Any]]) -> None:
    tokens = 0
    for where, payload in story:
        for text in strings(payload):
            tokens += len(DATE_TOKEN.findall(text))
            bare = CLOCK.findall(DATE_TOKEN.sub("", text))
            assert not bare, f"{where}: a time not in the reader's zone {bare} in {text!r}"
    assert tokens >= 3  # the deadlines (Home, digest, refusal) and the organizers' decision


def reads_as_sentence(text: str) -> bool:
    first = EMOJI.sub("", DATE_TOKEN.sub("the date", text)).strip().splitlines()[0]
    words = re.findall(r"[A-Za-z]{2,}", re.sub(r"<[^>]*>", "someone", first))
    return len(words) >= 3 and bool(re.search(r"[.!?:](?:[\s*_]|$)", first))


def test_every_message_has_a_sentence_as_its_text(story: list[tuple[str, Any]]) -> None:
    messages = 0
    for where, payload in story:
        if where not in MESSAGE_METHODS and not where.startswith("ephemeral"):
            continue
        if not payload.get("blocks") and not payload.get("text"):
            continue  # a response_url deleting the original
        messages += 1
        text = payload.get("text")
        assert isinstance(text, str) and reads_as_sentence(text), f"{where}: {text!r}"
    assert messages > 10


def test_every_ambiguous_button_says_what_it_does(story: list[tuple[str, Any]]) -> None:
    seen = set()
    for where, payload in story:
        for button in buttons(payload):
            text = button["text"]["text"]
            label = button.get("accessibility_label")
            seen.add((text, label))
            ambiguous = (
                len(text.split()) <= 2
                or not re.search(r"[A-Za-z]", text)
                or "…" in text
                or text
                in (
                    "Join the team",
                    "Join this team",
                    "Ask to join",
                    "Make team official",
                    "Submit your demo",
                    "Give my Hub username",
                )
            )
            if ambiguous:
                assert label and len(label.split()) >= 4, f"{where}: {text!r} has no label"
            if label:
                assert len(label) <= 75
    assert ("Leave", f"Leave the team {NAME}") in seen
    assert ("Join the team", f"Join the team {OTHER}") in seen
    assert ("Make team official", f"Make this team official: {NAME}") in seen
    assert ("Approve", f"Approve the request to join {NAME}") in seen
    assert ("Join this team", f"Join the team {NAME}") in seen  # at "Before you post"
    assert ("It works", f"It works: the compute of {NAME}") in seen
    assert ("Problem", f"Report a problem with the compute of {NAME}") in seen
    assert ("Score", f"Score the demo of {NAME}") in seen
    assert ("Submit your demo", f"Submit the demo of {NAME}") in seen


def test_no_status_is_told_by_emoji_alone(story: list[tuple[str, Any]]) -> None:
    for where, payload in story:
        for text in strings(payload.get("blocks") or []):
            if text in ("mrkdwn", "plain_text") or len(text) < 2:
                continue
            left = EMOJI.sub("", text)
            assert re.search(r"\w", left), f"{where}: {text!r} says it with emoji alone"


def test_a_label_fits_slack_limit() -> None:
    from slackbot.blocks.accessibility import action_label

    label = action_label("Leave the team", "A very long project name " * 5)
    assert len(label) == 75 and label.endswith("…")
    assert action_label("Leave the team", NAME) == f"Leave the team {NAME}"

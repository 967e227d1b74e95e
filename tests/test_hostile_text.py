"""User text never becomes markup: no @channel, no mention, no link the bot did not write.

Every field of the modal, the edit, `/organize` arguments, `/projects` search words and a
shortcut's message text are filled with hostile strings (special mentions, user and channel
references, links that try to close early and open new markup, entities, mrkdwn), then the
whole week runs over HTTP. Whatever Slack was asked to show is scanned the way Slack reads
mrkdwn: every ``<…>`` must be a mention of a real member, a reference to a real channel, or a
well-formed http(s) link; none may point where only non-link fields pointed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from slack_sdk import WebClient

from slackbot.blocks.before_you_post import CALLBACK_ID as STEP_CALLBACK_ID
from slackbot.local import CHANNEL, LocalBot, open_propose_modal, proposal_values
from slackbot.sandbox import FakeSlack
from tests.conftest import PEOPLE

# Links are allowed where the form asks for them (model, datasets, reads): their hostile strings
# point at ok.example. Every other field points at evil.example: a link there is the bug.
EVIL = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!subteam^S0EVIL|@team>",
    "<!date^1392734382^{date}|x>",
    "<@U0EVIL>",
    "<@W0EVIL|boss>",
    "<#C0EVIL>",
    "<#C0EVIL|general>",
    "<javascript:alert(1)|click>",
    "<https://evil.example|click>",
    "<mailto:a@evil.example>",
    "https://evil.example/x><!channel>",
    "&lt;!channel&gt;",
    "&amp;lt;",
    "<",
    ">",
    "|",
    "*bold* _it_ ~s~ `code`",
    "```\n<!here>\n```",
    ">quote",
    "\n",
    " ",
]
LINKY = [
    "https://huggingface.co/bert-base-multilingual-cased><!channel>",
    "https://ok.example/x|<@U0EVIL>",
    "https://ok.example/a b<!here>",
    "https://ok.example/<#C0EVIL>",
    'http://ok.example/"><!everyone>',
    "https://user@ok.example/",
    "google/mt5-small><!channel>",
    "javascript://ok.example/%0aalert(1)",
]
TEXT_FIELDS = ["description", "training_scripts", "challenges", "outcome"]
LINK_FIELDS = ["model", "datasets", "reads"]


def hostile(pieces: list[str]) -> st.SearchStrategy[str]:
    words = st.sampled_from(pieces) | st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6
    )
    return st.lists(words, min_size=1, max_size=4).map("".join)


def texts(value: Any) -> Iterator[str]:
    """Every string Slack reads as mrkdwn in a payload: mrkdwn text objects (sections, fields,
    context), and a message's top-level `text` (it notifies, and is mrkdwn)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return
    if isinstance(value, dict):
        if value.get("type") == "mrkdwn" and isinstance(value.get("text"), str):
            yield value["text"]
        for key, inner in value.items():
            if key in ("blocks", "fields", "elements", "view", "text", "accessory", "message"):
                yield from texts(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from texts(inner)


def message_texts(where: str, payload: dict[str, Any]) -> Iterator[str]:
    is_message = not where.startswith(("view", "views."))
    if is_message and isinstance(payload.get("text"), str) and payload.get("mrkdwn") is not False:
        yield payload["text"]
    yield from texts(payload.get("blocks"))
    yield from texts(payload.get("attachments"))


TOKEN = re.compile(r"<([^<>]*)>")
LINK = re.compile(r"^https?://[^\s<>|\"]+(\|[^<>|]*)?$")


def markup_problems(slack: FakeSlack) -> list[str]:
    users = set(PEOPLE) | {slack.bot_user_id}
    channels = set(slack.channels)
    problems = []
    for where, payload in slack.shown():
        for text in message_texts(where, payload):
            if text.count("<") != len(TOKEN.findall(text)):
                problems.append(f"{where}: a stray '<' opens markup: {text!r}")
            for token in TOKEN.findall(text):
                if token.startswith("@"):
                    ok = token[1:] in users
                elif token.startswith("#"):
                    ok = token[1:] in channels
                elif token.startswith("!date^"):  # a time in the reader's zone, ours alone
                    ok = bool(
                        re.fullmatch(r"!date\^\d+\^\{[a-z_]+\}(?: at \{time\})?\|[\w :]+", token)
                    )
                else:
                    url = token.split("|", 1)[0]
                    ok = bool(LINK.match(token)) and "evil.example" not in url
                if not ok:
                    problems.append(f"{where}: <{token}> in {text!r}")
    return problems


@pytest.fixture
def bot_settings() -> dict[str, object]:
    return {"ORGANIZER_IDS": "U0ORG1", "TEAM_SIZE_THRESHOLD": 2}


def propose(slack: FakeSlack, user: str, values: dict[str, object]) -> str | None:
    """Submit the form (through the "Before you post" step if shown); the post's ts. Answers
    refused by validation are replaced by plain valid ones, the hostile rest kept."""
    view_id = open_propose_modal(slack, user, str(values["name"])[:100])
    before = len(slack.messages(CHANNEL))
    response = slack.submit_view(user, view_id, values)
    answer = response.json or {}
    if answer.get("response_action") == "errors":
        plain = proposal_values("GPT2 poetry generation in German", reads="", challenges="")
        fixed = {**values, **{f: plain.get(f, "") for f in answer["errors"]}}
        if "language_other" in answer["errors"]:
            fixed["languages"] = ["german"]
        response = slack.submit_view(user, view_id, fixed)
        if (response.json or {}).get("response_action") == "errors":
            return None
    shown = slack.views(user)
    if shown and shown[-1].get("callback_id") == STEP_CALLBACK_ID:  # "Before you post"
        slack.submit_view(user, shown[-1]["id"], {})
    messages = slack.messages(CHANNEL)
    return str(messages[-1]["ts"]) if len(messages) > before else None


@settings(
    max_examples=12,
    deadline=None,
    # Each example is a whole week over HTTP: shrinking a failure would take minutes, and the
    # failing example is printed as it is.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(  # the report that started this: a Model answer closing the link early
    evil={f: "x" for f in [*TEXT_FIELDS, "name", "other"]},
    linky={
        "model": "https://huggingface.co/bert-base-multilingual-cased><!channel>",
        "datasets": "https://ok.example/x|<@U0EVIL>",
        "reads": "https://ok.example/a><!here>",
    },
    words="<!everyone>",
)
@given(
    evil=st.fixed_dictionaries({f: hostile(EVIL) for f in [*TEXT_FIELDS, "name", "other"]}),
    linky=st.fixed_dictionaries({f: hostile(LINKY + EVIL[:6]) for f in LINK_FIELDS}),
    words=hostile(EVIL),
)
def test_no_hostile_string_becomes_markup(
    bot: LocalBot,
    slack: FakeSlack,
    tmp_path: Path,
    evil: dict[str, str],
    linky: dict[str, str],
    words: str,
) -> None:
    values = proposal_values(
        "GPT2 poetry generation in German " + evil["name"],
        languages=["german", "other"],
        language_other=evil["other"][:100],
        **{f: evil[f][:1500] for f in TEXT_FIELDS},
        **{f: linky[f][:300] for f in LINK_FIELDS},
    )
    ts = propose(slack, "U0ALICE", values)
    assert ts is not None
    slack.slash_command("U0BOB", "/projects", words)
    slack.slash_command("U0ORG1", "/organize", words)
    channel_id = slack.channel_id(CHANNEL)
    if ts is not None:
        slack.react("U0BOB", CHANNEL, ts, "raised_hand")
        project = next(m for m in slack.messages(CHANNEL) if m["ts"] == ts)
        number = re.search(r"project #(\d+)", json.dumps(project["blocks"]))
        assert number is not None
        pid = number.group(1)
        slack.slash_command("U0ORG1", "/organize", f"compute give {pid} {words}")
        slack.slash_command("U0ORG1", "/organize", f"compute add {words} | {words}")
        slack.slash_command("U0ORG1", "/organize", f"move {words} {pid} 1")
        slack.click(
            "U0ALICE",
            "proposal_menu",
            channel=channel_id,
            message_ts=ts,
            selected_option=f"edit:{pid}",
        )
        edit = slack.views("U0ALICE")
        if edit:
            slack.submit_view("U0ALICE", edit[-1]["id"], {"description": words[:2500] or "x"})
        slack.slash_command("U0ORG1", "/organize", f"official {pid}")
        slack.open_home("U0ALICE")
        slack.open_home("U0ORG1")
    note = slack.add_message(channel_id, "U0CAROL", f"{evil['name']}\n{words}")
    slack.message_shortcut("U0CAROL", "propose_from_message", channel=channel_id, message_ts=note)
    bot.settle()
    assert markup_problems(slack) == []


@settings(
    max_examples=4,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=hostile(EVIL), summary=hostile(EVIL), note=hostile(EVIL), models=hostile(LINKY))
def test_no_hostile_string_in_the_weeks_end_becomes_markup(
    bot: LocalBot, slack: FakeSlack, name: str, summary: str, note: str, models: str
) -> None:
    """The end of the week: a team's demo (its summary and the jury's note are free text, the
    model repositories link-like), announced in the thread and the channel, the results and
    the winners. Apart from the test above: each example is a whole team's week, and the
    chat.update budget (Tier 3) is the stand-in's, as on Slack."""
    ts = propose(slack, "U0ALICE", proposal_values("GPT2 poetry generation in German " + name))
    assert ts is not None
    slack.react("U0BOB", CHANNEL, ts, "raised_hand")
    proposal = bot.rt.uow.proposals.by_message(slack.channel_id(CHANNEL), ts)
    assert proposal is not None
    slack.slash_command("U0ORG1", "/organize", f"official {proposal.id}")
    bot.settle()
    slack.slash_command("U0ALICE", "/submit")
    forms = [v for v in slack.views("U0ALICE") if v.get("callback_id") == "demo_submission"]
    assert forms, "an official team's member gets the demo form"
    demo = {
        "demo_url": "https://ok.example/demo",
        "summary": (summary.strip() or "x")[:500],
        "jury_note": note[:500],
        "models": models[:300],
    }
    answer = slack.submit_view("U0ALICE", forms[-1]["id"], demo).json or {}
    if answer.get("response_action") == "errors":  # refused answers: plain ones instead
        plain = {"summary": "A demo.", "models": "google/mt5-small", "jury_note": ""}
        fixed = {**demo, **{f: plain[f] for f in answer["errors"] if f in plain}}
        slack.submit_view("U0ALICE", forms[-1]["id"], fixed)
    slack.slash_command("U0ORG1", "/organize", "results")
    slack.slash_command("U0ORG1", "/organize", f"winners {proposal.id}")
    bot.settle()
    said = [m.get("text", "") for m in slack.messages(CHANNEL)]
    assert any("submitted its demo" in t for t in said)
    assert markup_problems(slack) == []


def test_the_scan_finds_markup_the_bot_did_not_write(slack: FakeSlack) -> None:
    """The property test's own check, shown to catch what it is there to catch."""
    channel_id = slack.add_channel("other", members=[slack.bot_user_id])
    client = WebClient(base_url=slack.api_url, token=slack.bot_token)
    for text in [
        "<https://huggingface.co/x><!channel>|x>",
        "see <@U0EVIL>",
        "<https://evil.example|click>",
        "a < b",
    ]:
        client.chat_postMessage(channel=channel_id, text=text)
    assert len(markup_problems(slack)) == 4
    slack.reset_calls()
    client.chat_postMessage(
        channel=channel_id, text="<@U0ALICE> in <#" + channel_id + "> <https://ok.example/a|a>"
    )
    assert markup_problems(slack) == []

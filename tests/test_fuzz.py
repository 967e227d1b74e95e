"""Hostile and broken requests against the real entry point (`slackbot run`, HTTP mode).

Signed but malformed requests (real payloads with fields deleted, retyped, truncated, or the
body garbled) get a 4xx or a polite answer, never a 5xx, and the bot keeps working; unsigned,
stale and tampered ones are all refused with 401 before anything reads them.
"""

from __future__ import annotations

import copy
import json
import random
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from slack_sdk.signature import SignatureVerifier

from slackbot.bot_process import BotProcess
from slackbot.local import CHANNEL, STEP_CALLBACK_ID, proposal_values
from slackbot.sandbox import FakeSlack, Response

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
JUNK: list[Any] = [
    None,
    True,
    0,
    -1,
    2**70,
    1.5,
    "",
    "x" * 5000,
    "99999999999999999999999",
    "edit:99999999999999999999",
    "withdraw:-3",
    "\u0000\ud7ff\U0010ffff",
    "<!channel>",
    [],
    [None],
    {},
    {"value": {}},
]


def record_real_requests(slack: FakeSlack) -> list[tuple[bytes, str]]:
    """Play a short week through the bot, keeping every request Slack sent it."""
    seen: list[tuple[bytes, str]] = []
    original = slack.post_signed

    def keep(body: bytes, content_type: str, **kwargs: Any) -> Response:
        seen.append((body, content_type))
        return original(body, content_type, **kwargs)

    slack.post_signed = keep  # type: ignore[method-assign]
    try:
        slack.slash_command("U0ALICE", "/propose", "GPT2 poetry generation in German")
        view = slack.wait_for(lambda: slack.views("U0ALICE"), timeout=5)[-1]
        values = proposal_values("GPT2 poetry generation in German", languages=["german"])
        slack.submit_view("U0ALICE", view["id"], values)
        post = slack.wait_for(lambda: slack.messages(CHANNEL), timeout=5)[-1]
        channel = slack.channel_id(CHANNEL)
        for user in ("U0BOB", "U0CAROL"):
            slack.react(user, channel, post["ts"], "raised_hand")
        slack.unreact("U0CAROL", channel, post["ts"], "raised_hand")
        slack.click(
            "U0ALICE",
            "proposal_menu",
            channel=channel,
            message_ts=post["ts"],
            selected_option="withdraw:1",
        )
        slack.slash_command("U0BOB", "/projects", "poetry")
        slack.slash_command("U0ORG1", "/organize", "official 1")
        slack.open_home("U0BOB")
        slack.message_shortcut(
            "U0BOB", "propose_from_message", channel=channel, message_ts=post["ts"]
        )
        end_of_the_week(slack)
        compute_and_hub(slack)
    finally:
        slack.post_signed = original  # type: ignore[method-assign]
    return seen


# The jury (issue 27): Dave scores, Frank is late, so the organizers' Remind button shows.
# Compute (issue 26): a one-person official team gets a machine too, so Erin's does.
SETTINGS = {"JUDGE_IDS": "U0DAVE,U0FRANK", "COMPUTE_MIN_TEAM_SIZE": "1"}


def end_of_the_week(slack: FakeSlack) -> None:
    """An official team submits its demo (`/submit`, its form), a judge scores it (the Score
    button, its form), an organizer clicks Remind late judges."""

    def view_of(user: str, callback_id: str) -> dict[str, Any] | None:
        views = [v for v in slack.views(user) if v.get("callback_id") == callback_id]
        return views[-1] if views else None

    name = "CLIP for Hindi image search"
    slack.slash_command("U0ERIN", "/propose", name)
    proposing = slack.wait_for(lambda: slack.views("U0ERIN"), timeout=10)[-1]
    answer = slack.submit_view(
        "U0ERIN", proposing["id"], proposal_values(name, languages=["hindi"])
    )
    if ((answer.json or {}).get("view") or {}).get("callback_id") == STEP_CALLBACK_ID:
        slack.submit_view("U0ERIN", proposing["id"], {})  # posted as it is
    slack.wait_for(lambda: len(slack.messages(CHANNEL)) >= 2, timeout=10)
    slack.slash_command("U0ORG1", "/organize", "official 2")
    slack.wait_for(lambda: slack.calls_to("conversations.create"), timeout=10)

    slack.slash_command("U0ERIN", "/submit")
    form = slack.wait_for(lambda: view_of("U0ERIN", "demo_submission"), timeout=10)
    demo = {"demo_url": "https://huggingface.co/spaces/flax-community/clip", "summary": "Search."}
    slack.submit_view("U0ERIN", form["id"], demo)

    def home_with(user: str, needle: str) -> dict[str, Any] | None:
        slack.open_home(user)
        home = slack.home(user)
        return home if home is not None and needle in json.dumps(home) else None

    home = slack.wait_for(lambda: home_with("U0DAVE", "judge-2"), timeout=10)
    slack.click("U0DAVE", "score_demo", value="2", block_id="judge-2", view_id=home["id"])
    scoring = slack.wait_for(lambda: view_of("U0DAVE", "demo_score"), timeout=10)
    scores = {"the_demo": "5", "technical_difficulty": "4", "social_impact": "3"}
    slack.submit_view("U0DAVE", scoring["id"], {**scores, "innovativeness": "4", "comment": "ok"})
    board = slack.wait_for(lambda: home_with("U0ORG1", "remind_judges"), timeout=10)
    slack.click(
        "U0ORG1", "remind_judges", value="late", block_id="dash-judges", view_id=board["id"]
    )
    slack.wait_for(lambda: slack.dms("U0FRANK"), timeout=10)


def compute_and_hub(slack: FakeSlack) -> None:
    """Compute comes in and Erin's official team gets a machine: she clicks It works, then
    Problem (its form); an organizer clicks Reply (its form), Re-give, and Remind them on the
    dashboard; Erin gives her Hub username (the button, its form)."""

    def view_of(user: str, callback_id: str, before: set[str]) -> dict[str, Any] | None:
        views = [
            v
            for v in slack.views(user)
            if v.get("callback_id") == callback_id and v["id"] not in before
        ]
        return views[-1] if views else None

    def message_with(user: str, action: str) -> dict[str, Any] | None:
        found = [m for m in slack.dms(user) if f'"{action}"' in json.dumps(m)]
        return found[-1] if found else None

    def click(user: str, action: str) -> None:
        message = slack.wait_for(lambda: message_with(user, action), timeout=10)
        (value,) = [
            str(e["value"])
            for b in message["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
            if e["action_id"] == action
        ]
        slack.click(user, action, value=value, channel=user, message_ts=message["ts"])

    def form(user: str, action: str, callback_id: str, values: dict[str, Any]) -> None:
        before = {v["id"] for v in slack.views(user)}
        click(user, action)
        view = slack.wait_for(lambda: view_of(user, callback_id, before), timeout=10)
        slack.submit_view(user, view["id"], values)

    channel = slack.channel_id(CHANNEL)
    for label in ("tpu-a", "tpu-b", "tpu-c"):
        slack.slash_command(
            "U0ORG1", "/organize", f"compute add {label} | zone {label}", channel=channel
        )
    click("U0ERIN", "compute_works")
    form("U0ERIN", "compute_problem", "compute_problem_modal", {"problem": "ssh: refused"})
    form("U0ORG1", "compute_reply", "compute_reply_modal", {"reply": "Try again now."})
    click("U0ORG1", "compute_regive")

    def board() -> dict[str, Any] | None:
        slack.open_home("U0ORG1")
        home = slack.home("U0ORG1")
        return home if home is not None and "hub_remind" in json.dumps(home) else None

    home = slack.wait_for(board, timeout=10)
    slack.click("U0ORG1", "hub_remind", value="remind", block_id="dash-hub", view_id=home["id"])
    form("U0ERIN", "hub_username", "hub_username_modal", {"hub_username": "erin-hf"})


def payload_of(body: bytes, content_type: str) -> tuple[str, Any]:
    """("form-payload" | "form" | "json", the parsed data)."""
    if content_type == JSON:
        return "json", json.loads(body)
    form = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
    if "payload" in form:
        return "form-payload", json.loads(form["payload"])
    return "form", form


def encode(kind: str, data: Any) -> tuple[bytes, str]:
    if kind == "json":
        return json.dumps(data).encode(), JSON
    if kind == "form-payload":
        return urllib.parse.urlencode({"payload": json.dumps(data)}).encode(), FORM
    return urllib.parse.urlencode(data).encode(), FORM


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            out += paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            out += paths(value, (*prefix, index))
    return out


def mutate(rng: random.Random, kind: str, data: Any) -> Any:
    data = copy.deepcopy(data)
    spots = paths(data)
    if not spots:
        return rng.choice(JUNK)
    where = rng.choice(spots)
    parent = data
    for step in where[:-1]:
        parent = parent[step]
    last = where[-1]
    if rng.random() < 0.3 and isinstance(parent, dict):
        del parent[last]
    elif kind == "form":
        parent[last] = str(rng.choice(JUNK))
    else:
        parent[last] = rng.choice(JUNK)
    return data


def garble(rng: random.Random, body: bytes, content_type: str) -> tuple[bytes, str]:
    choice = rng.randrange(6)
    if choice == 0:
        return body[: rng.randrange(len(body) + 1)], content_type
    if choice == 1:
        return b"payload=%7B%22type%22%3A", FORM
    if choice == 2:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200))), content_type
    if choice == 3:
        return body, rng.choice(["text/plain", "application/xml", JSON, FORM])
    if choice == 4:
        return b"", content_type
    return json.dumps(rng.choice(JUNK)).encode(), JSON


def test_malformed_signed_requests_never_get_a_5xx(slack: FakeSlack, tmp_path: Path) -> None:
    bot = BotProcess(slack, tmp_path, **SETTINGS).start()
    try:
        seeds = [payload_of(body, kind) for body, kind in record_real_requests(slack)]
        assert len(seeds) >= 10
        rng = random.Random(20261125)
        statuses: dict[int, int] = {}
        five_hundreds: list[tuple[int, bytes]] = []
        for n in range(600):
            kind, data = rng.choice(seeds)
            if n % 5 == 4:
                body, content_type = garble(rng, encode(kind, data)[0], encode(kind, data)[1])
            else:
                body, content_type = encode(kind, mutate(rng, kind, data))
            response = slack.post_signed(body, content_type)
            statuses[response.status] = statuses.get(response.status, 0) + 1
            if response.status >= 500:
                five_hundreds.append((response.status, body[:300]))
        assert five_hundreds == [], five_hundreds[:3]
        assert sum(statuses.values()) == 600 and any(400 <= s < 500 for s in statuses)
        assert bot.process is not None and bot.process.poll() is None
        # Still working.
        before = len(slack.calls_to("views.open"))
        assert slack.slash_command("U0DAVE", "/propose").status == 200
        slack.wait_for(lambda: len(slack.calls_to("views.open")) > before, timeout=5)
    finally:
        code = bot.stop()
    assert code == 0
    assert "Traceback" not in bot.output, bot.output[-3000:]
    slack.violations.clear()  # the stand-in complains about answers to requests it never sent


def test_unsigned_stale_and_tampered_requests_are_refused(slack: FakeSlack, tmp_path: Path) -> None:
    bot = BotProcess(slack, tmp_path, **SETTINGS).start()
    try:
        seeds = record_real_requests(slack)
        rng = random.Random(7)
        forgeries: list[Callable[[bytes, str], Response]] = [
            lambda b, c: slack.post_signed(b, c, signature=""),
            lambda b, c: slack.post_signed(b, c, signature="v0=" + "0" * 64),
            lambda b, c: slack.post_signed(b, c, timestamp=int(time.time()) - 301),
            lambda b, c: slack.post_signed(b, c, timestamp=int(time.time()) + 400),
            lambda b, c: slack.post_signed(b, c, headers={"X-Slack-Request-Timestamp": "abc"}),
        ]
        statuses = []
        slack.settle(quiet=1.0)  # the recorded week's work is done
        calls_before = len(slack.calls)
        for _ in range(150):
            body, content_type = rng.choice(seeds)
            statuses.append(rng.choice(forgeries)(body, content_type).status)
        # Tampered: signed, then changed.
        for body, content_type in seeds:
            signed_at = int(time.time())
            signature = SignatureVerifier(slack.signing_secret).generate_signature(
                timestamp=str(signed_at), body=body.decode()
            )
            statuses.append(
                slack.post_signed(
                    body + b"&x=1", content_type, timestamp=signed_at, signature=signature
                ).status
            )
        assert set(statuses) == {401}
        time.sleep(0.5)
        # Nothing was acted on (the roster updater may still redraw the recorded week's post).
        answers = {"views.open", "views.publish", "chat.postMessage", "chat.postEphemeral"}
        extra = [c.method for c in slack.calls[calls_before:] if c.method in answers]
        assert extra == [] and not [
            c for c in slack.calls[calls_before:] if c.method == "response_url"
        ]
    finally:
        assert bot.stop() == 0


DELETE = object()
# One value of every JSON type, and the field taken away: what a payload of a shape Slack would
# not send can hold in any one place.
EVERY_TYPE: list[Any] = [DELETE, None, True, 7, 1.5, "x", [], [None], {}]
# Echoes of what the bot itself sent (a view's or a message's blocks): the bot reads none of
# them, so each of their fields gets one wrong type (drawn) rather than all.
ECHOES = ("blocks", "attachments")


SLACK_CHANGES: list[dict[str, Any]] = [
    {"type": "channel_rename", "channel": {"id": "C0TEAM", "name": "team-x", "created": 1}},
    {"type": "channel_archive", "channel": "C0TEAM", "user": "U0ALICE"},
    {"type": "group_archive", "channel": "G0TEAM"},
    {"type": "user_change", "user": {"id": "U0ERIN", "name": "erin", "deleted": True}},
    {"type": "tokens_revoked", "tokens": {"oauth": ["U0ALICE"], "bot": []}},
    {"type": "app_uninstalled"},
]


def every_wrong_type(kind: str, data: Any, rng: random.Random) -> list[Any]:
    """The payload with each field in turn given each wrong type (or removed)."""
    variants = []
    for where in paths(data):
        echo = any(step in ECHOES for step in where[:-1])
        for value in [rng.choice(EVERY_TYPE)] if echo else EVERY_TYPE:
            changed = copy.deepcopy(data)
            parent = changed
            for step in where[:-1]:
                parent = parent[step]
            last = where[-1]
            if value is DELETE:
                if not isinstance(parent, dict):
                    continue
                del parent[last]
            elif kind == "form":
                parent[last] = "" if value is None else json.dumps(value)
            else:
                parent[last] = value
            variants.append(changed)
    return variants


def test_every_wrong_type_in_every_field_gets_no_5xx(slack: FakeSlack, tmp_path: Path) -> None:
    """The fuzz drill, exhaustive: for every payload the bot handles, every field in turn holds
    each JSON type (or is missing). A 400 or an inline error, never a 500 or a traceback."""
    bot = BotProcess(slack, tmp_path, **SETTINGS).start()
    try:
        seeds: dict[str, tuple[str, Any]] = {}
        for body, content_type in record_real_requests(slack):
            kind, data = payload_of(body, content_type)
            shape = str(data.get("type") or data.get("command"))
            if shape == "event_callback":
                shape += ":" + str(data["event"]["type"])
            if shape in ("view_submission", "view_closed"):  # each form's own shape
                shape += ":" + str(data["view"]["callback_id"])
            if shape == "block_actions":  # each button's and menu's own
                shape += ":" + str(data["actions"][0]["action_id"])
            seeds.setdefault(shape, (kind, data))  # one of each shape
        assert len(seeds) >= 7, sorted(seeds)
        # The end of the week's shapes are among them (issue 27).
        for shape in (
            "/submit",
            "view_submission:demo_submission",
            "view_submission:demo_score",
            "block_actions:score_demo",
            "block_actions:remind_judges",
            # Compute and Hub access (issue 26): every button and form.
            "block_actions:compute_works",
            "block_actions:compute_problem",
            "block_actions:compute_reply",
            "block_actions:compute_regive",
            "block_actions:hub_remind",
            "block_actions:hub_username",
            "view_submission:compute_problem_modal",
            "view_submission:compute_reply_modal",
            "view_submission:hub_username_modal",
        ):
            assert shape in seeds, sorted(seeds)
        # The events of changes made in Slack, in the envelope Slack sends every event in;
        # the app's uninstalling last (the bot stops writing after it).
        envelope = seeds["event_callback:reaction_added"][1]
        for event in SLACK_CHANGES:
            seeds["event_callback:" + str(event["type"])] = (
                "json",
                {**copy.deepcopy(envelope), "event": event},
            )
        rng = random.Random(20261206)
        sent = 0
        five_hundreds: list[tuple[str, int, bytes]] = []
        for shape, (kind, data) in sorted(seeds.items(), key=lambda s: "uninstalled" in s[0]):
            for variant in every_wrong_type(kind, data, rng):
                body, content_type = encode(kind, variant)
                response = slack.post_signed(body, content_type)
                sent += 1
                if response.status >= 500:
                    five_hundreds.append((shape, response.status, body[:300]))
        assert sent > 1000
        assert five_hundreds == [], five_hundreds[:3]
        assert bot.process is not None and bot.process.poll() is None
    finally:
        code = bot.stop()
        slack.violations.clear()  # the stand-in complains about answers it never asked for
    assert code == 0
    first = bot.output.find("Traceback")
    assert first < 0, bot.output[max(0, first - 1500) : first + 3000]

"""Tests of the Slack sandbox itself: its Web API (through slack_sdk's WebClient), its checks,
its scripted failures, and the signed requests it sends to an app.

The app side is a small stdlib HTTP server that verifies every request with slack_sdk's
SignatureVerifier, as Bolt does, and answers what each test tells it to.
"""

from __future__ import annotations

import importlib.util
import json
import os
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier

from slackbot.sandbox import FakeSlack, Response, app_requests

REPO_ROOT = Path(__file__).resolve().parents[2]


def _find_specs() -> tuple[Path | None, list[Path]]:
    """Slack's reference specs: SLACK_SPECS_DIR, or shared/slack-specs beside the clone (or
    beside any folder above it, as CI lays it out)."""
    candidates = [Path(os.environ["SLACK_SPECS_DIR"])] if os.environ.get("SLACK_SPECS_DIR") else []
    candidates += [folder / "shared" / "slack-specs" for folder in REPO_ROOT.parents]
    found = next((c for c in candidates if (c / "web-api-openapi-v2.json").is_file()), None)
    return found, candidates


SPECS_DIR, SPECS_LOOKED_IN = _find_specs()

ALICE, BOB = "U0ALICE", "U0BOB"


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    verified: bool

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def form(self) -> dict[str, str]:
        return {k: v[-1] for k, v in urllib.parse.parse_qs(self.body.decode()).items()}

    @property
    def payload(self) -> dict[str, Any]:
        """The interactivity payload (form field ``payload``)."""
        return dict(json.loads(self.form["payload"]))

    @property
    def json(self) -> dict[str, Any]:
        return dict(json.loads(self.body))


Answer = tuple[int, bytes]


@dataclass
class App:
    """Stands in for the bot: verifies signatures, records requests, answers as told."""

    signing_secret: str
    received: list[Received] = field(default_factory=list)
    answer: Callable[[Received], Answer] = lambda request: (200, b"")
    url: str = ""

    def handle(self, headers: dict[str, str], body: bytes) -> Answer:
        verified = SignatureVerifier(self.signing_secret).is_valid_request(body, headers)
        request = Received(headers, body, verified)
        self.received.append(request)
        if not verified:
            return 401, b"invalid signature"
        return self.answer(request)


def serve_app(app: App) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, out = app.handle({k.lower(): v for k, v in self.headers.items()}, body)
            self.send_response(status)
            self.send_header("Content-Type", "application/json" if out else "text/plain")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    app.url = f"http://127.0.0.1:{httpd.server_address[1]}/slack/events"
    return httpd


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fs(clock: FakeClock) -> Iterator[FakeSlack]:
    with FakeSlack(clock=clock) as slack:
        slack.add_user(ALICE, "alice", real_name="Alice A.")
        slack.add_user(BOB, "bob")
        slack.add_channel("general", members=[slack.bot_user_id, ALICE, BOB])
        yield slack


@pytest.fixture
def client(fs: FakeSlack) -> WebClient:
    return WebClient(base_url=fs.api_url, token=fs.bot_token)


@pytest.fixture
def app(fs: FakeSlack) -> Iterator[App]:
    bot = App(fs.signing_secret)
    httpd = serve_app(bot)
    fs.connect_app(bot.url)
    yield bot
    httpd.shutdown()
    httpd.server_close()


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def modal(*blocks: dict[str, Any], title: str = "Propose", **extra: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": "propose",
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Submit"},
        "blocks": list(blocks),
        **extra,
    }


def text_input(block_id: str, *, max_length: int = 100, optional: bool = False) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": block_id.title()},
        "element": {"type": "plain_text_input", "action_id": "value", "max_length": max_length},
    }


def option(value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": value.title()}, "value": value}


def open_modal(fs: FakeSlack, app: App, client: WebClient, view: dict[str, Any]) -> str:
    """Run /propose so that the app gets a trigger, then open ``view`` with it."""
    fs.slash_command(ALICE, "/propose")
    trigger_id = app.received[-1].form["trigger_id"]
    return str(client.views_open(trigger_id=trigger_id, view=view)["view"]["id"])


# ---------------------------------------------------------------------- Web API basics


def test_posted_messages_are_stored_and_listed(fs: FakeSlack, client: WebClient) -> None:
    first = client.chat_postMessage(channel="general", text="hello")
    reply = client.chat_postMessage(
        channel=first["channel"], text="in thread", thread_ts=first["ts"]
    )
    second = client.chat_postMessage(channel="#general", text="again")

    assert first["channel"] == fs.channel_id("general")
    assert float(first["ts"]) < float(reply["ts"]) < float(second["ts"])
    assert [m["text"] for m in fs.messages("general")] == ["hello", "again"]
    assert [m["text"] for m in fs.thread("general", first["ts"])] == ["in thread"]
    history = client.conversations_history(channel=first["channel"])["messages"]
    assert [m["text"] for m in history] == ["again", "hello"]  # newest first, as Slack
    assert history[1]["reply_count"] == 1
    replies = client.conversations_replies(channel=first["channel"], ts=first["ts"])["messages"]
    assert [m["text"] for m in replies] == ["hello", "in thread"]
    assert fs.violations == []


def test_history_paginates_with_cursor(fs: FakeSlack, client: WebClient) -> None:
    for n in range(5):
        client.chat_postMessage(channel="general", text=f"m{n}")
    page = client.conversations_history(channel=fs.channel_id("general"), limit=2)
    assert [m["text"] for m in page["messages"]] == ["m4", "m3"]
    assert page["has_more"] is True
    cursor = page["response_metadata"]["next_cursor"]
    rest = client.conversations_history(channel=fs.channel_id("general"), cursor=cursor, limit=10)
    assert [m["text"] for m in rest["messages"]] == ["m2", "m1", "m0"]
    assert rest["response_metadata"]["next_cursor"] == ""


def test_dm_by_user_id_lands_in_dms(fs: FakeSlack, client: WebClient) -> None:
    im = client.conversations_open(users=ALICE)["channel"]["id"]
    client.chat_postMessage(channel=ALICE, text="by user id")
    client.chat_postMessage(channel=im, text="by IM id")
    assert im.startswith("D")
    assert [m["text"] for m in fs.dms(ALICE)] == ["by user id", "by IM id"]
    assert fs.dms(BOB) == []


def test_bot_must_be_in_the_channel(fs: FakeSlack, client: WebClient) -> None:
    fs.add_channel("random", members=[ALICE])
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="random", text="hi")
    assert err.value.response["error"] == "not_in_channel"
    client.conversations_join(channel=fs.channel_id("random"))
    assert client.chat_postMessage(channel="random", text="hi")["ok"]


def test_update_marks_edited_and_needs_existing_message(fs: FakeSlack, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="general", text="v1")
    client.chat_update(channel=posted["channel"], ts=posted["ts"], text="v2")
    assert fs.message("general", posted["ts"])["text"] == "v2"
    assert fs.message("general", posted["ts"])["edited"] is True
    with pytest.raises(SlackApiError) as err:
        client.chat_update(channel=posted["channel"], ts="1.000001", text="v3")
    assert err.value.response["error"] == "message_not_found"


def test_invalid_token_is_refused(fs: FakeSlack) -> None:
    bad = WebClient(base_url=fs.api_url, token="xoxb-wrong")
    with pytest.raises(SlackApiError) as err:
        bad.auth_test()
    assert err.value.response["error"] == "invalid_auth"
    assert WebClient(base_url=fs.api_url, token=fs.bot_token).auth_test()["user_id"] == "U0BOT"


def test_ephemeral_and_permalink(fs: FakeSlack, client: WebClient) -> None:
    channel = fs.channel_id("general")
    client.chat_postEphemeral(channel=channel, user=ALICE, text="only you")
    assert [e["text"] for e in fs.ephemerals(ALICE)] == ["only you"]
    assert fs.ephemerals(BOB) == []
    posted = client.chat_postMessage(channel=channel, text="x")
    link = client.chat_getPermalink(channel=channel, message_ts=posted["ts"])["permalink"]
    assert link == f"https://sandbox.slack.com/archives/{channel}/p{posted['ts'].replace('.', '')}"


def test_files_upload_v2_is_recorded(fs: FakeSlack, client: WebClient) -> None:
    client.files_upload_v2(
        channel=fs.channel_id("general"),
        content="name,team\nada,jax\n",
        filename="teams.csv",
        title="Teams",
        initial_comment="Export",
    )
    (uploaded,) = fs.files()
    assert uploaded["content"] == b"name,team\nada,jax\n"
    assert uploaded["title"] == "Teams"
    assert uploaded["channels"] == [fs.channel_id("general")]
    assert fs.messages("general")[-1]["text"] == "Export"
    assert fs.violations == []


# ---------------------------------------------------------------------- method and argument checks


def test_missing_required_argument_is_a_violation(fs: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as err:
        client.api_call("chat.postMessage", json={"text": "no channel"})
    assert err.value.response["error"] == "invalid_arguments"
    assert any("chat.postMessage" in v and "'channel'" in v for v in fs.violations)


def test_spec_corrections_apply(fs: FakeSlack, client: WebClient) -> None:
    # The 2020 spec marks conversations.history's channel optional; Slack requires it.
    with pytest.raises(SlackApiError):
        client.api_call("conversations.history", params={"limit": 5})
    assert fs.violations == ["conversations.history: missing required argument 'channel'"]


def test_message_needs_some_content(fs: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as err:
        client.api_call("chat.postMessage", json={"channel": "general"})
    assert err.value.response["error"] == "no_text"
    assert fs.messages("general") == []
    assert len(fs.violations) == 1


def test_unknown_method_is_a_violation(fs: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as err:
        client.api_call("chat.postMesage", json={"channel": "general", "text": "typo"})
    assert err.value.response["error"] == "unknown_method"
    assert fs.violations == ["chat.postMesage: no such Web API method"]
    assert fs.calls_to("chat.postMesage")[0].status == 200


def test_retired_files_upload_is_refused(fs: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as err:
        client.api_call("files.upload", data={"content": "x", "channels": "general"})
    assert err.value.response["error"] == "method_deprecated"
    assert len(fs.violations) == 1


def test_calls_are_recorded_with_arguments(fs: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="general", text="hello")
    (call,) = fs.calls_to("chat.postMessage")
    assert call.args == {"channel": "general", "text": "hello"}
    assert call.ok and call.response is not None and call.response["ts"]
    assert "token" not in call.args
    fs.reset_calls()
    assert fs.calls == []


# ---------------------------------------------------------------------- Block Kit checks


def test_51_blocks_in_a_message_is_a_violation(fs: FakeSlack, client: WebClient) -> None:
    blocks = [section(f"line {n}") for n in range(51)]
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="general", text="many", blocks=blocks)
    assert err.value.response["error"] == "invalid_blocks"
    assert any("51 blocks" in v for v in fs.violations)
    client.chat_postMessage(channel="general", text="fifty", blocks=blocks[:50])
    assert len(fs.messages("general")) == 1


def test_section_text_over_3000_is_a_violation(fs: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="general", text="long", blocks=[section("x" * 3001)])
    assert any("3000" in v for v in fs.violations)
    fs.violations.clear()
    client.chat_postMessage(channel="general", text="ok", blocks=[section("x" * 3000)])
    assert fs.violations == []


def test_blocks_without_top_level_text_are_accepted_but_flagged(
    fs: FakeSlack, client: WebClient
) -> None:
    with pytest.warns(UserWarning):  # slack_sdk warns too
        client.chat_postMessage(channel="general", blocks=[section("hi")])
    assert len(fs.messages("general")) == 1  # Slack accepts it...
    assert any("top-level text" in v for v in fs.violations)  # ...but it is a bug


def test_unknown_block_fields_and_duplicate_block_ids(fs: FakeSlack, client: WebClient) -> None:
    blocks = [
        {**section("a"), "block_id": "same"},
        {**section("b"), "block_id": "same", "acessory": {"type": "image"}},
    ]
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="general", text="t", blocks=blocks)
    assert any("blocks[1].acessory: unknown field" in v for v in fs.violations)
    assert any("block_id 'same'" in v for v in fs.violations)


def test_view_limits(fs: FakeSlack, app: App, client: WebClient) -> None:
    fs.slash_command(ALICE, "/propose")
    trigger_id = app.received[-1].form["trigger_id"]
    view = modal(text_input("title", max_length=5000), title="A title that is far too long")
    with pytest.raises(SlackApiError) as err:
        client.views_open(trigger_id=trigger_id, view=view)
    assert err.value.response["error"] == "invalid_arguments"
    assert any("title" in v and "24" in v for v in fs.violations)
    assert any("max_length=5000" in v for v in fs.violations)
    assert fs.views(ALICE) == []


def test_view_private_metadata_and_block_count(fs: FakeSlack, client: WebClient) -> None:
    blocks = [section(str(n)) for n in range(101)]
    view = {"type": "home", "blocks": blocks, "private_metadata": "m" * 3001}
    with pytest.raises(SlackApiError):
        client.views_publish(user_id=ALICE, view=view)
    assert any("101 blocks" in v for v in fs.violations)
    assert any("private_metadata" in v for v in fs.violations)
    assert fs.home(ALICE) is None


# ---------------------------------------------------------------------- triggers and views


def test_trigger_expires_after_three_seconds(
    fs: FakeSlack, app: App, client: WebClient, clock: FakeClock
) -> None:
    fs.slash_command(ALICE, "/propose")
    trigger_id = app.received[-1].form["trigger_id"]
    clock.advance(3.01)
    with pytest.raises(SlackApiError) as err:
        client.views_open(trigger_id=trigger_id, view=modal(text_input("title")))
    assert err.value.response["error"] == "expired_trigger_id"

    fs.slash_command(ALICE, "/propose")
    clock.advance(2.9)
    fresh = app.received[-1].form["trigger_id"]
    assert client.views_open(trigger_id=fresh, view=modal(text_input("title")))["ok"]


def test_trigger_works_once(fs: FakeSlack, app: App, client: WebClient) -> None:
    fs.slash_command(ALICE, "/propose")
    trigger_id = app.received[-1].form["trigger_id"]
    opened = client.views_open(trigger_id=trigger_id, view=modal(text_input("title")))
    assert opened["view"]["id"].startswith("V")
    with pytest.raises(SlackApiError) as err:
        client.views_open(trigger_id=trigger_id, view=modal(text_input("title")))
    assert err.value.response["error"] == "expired_trigger_id"
    with pytest.raises(SlackApiError) as err:
        client.views_open(trigger_id="12345.98765.abcdef", view=modal(text_input("title")))
    assert err.value.response["error"] == "invalid_trigger_id"
    assert [v["id"] for v in fs.views(ALICE)] == [opened["view"]["id"]]


def test_views_update_checks_hash(fs: FakeSlack, app: App, client: WebClient) -> None:
    view_id = open_modal(fs, app, client, modal(section("loading")))
    current = fs.view(view_id)
    updated = client.views_update(
        view_id=view_id, hash=current["hash"], view=modal(section("done"))
    )
    assert updated["view"]["id"] == view_id
    assert updated["view"]["hash"] != current["hash"]
    with pytest.raises(SlackApiError) as err:
        client.views_update(view_id=view_id, hash=current["hash"], view=modal(section("stale")))
    assert err.value.response["error"] == "hash_conflict"
    assert fs.view(view_id)["blocks"][0]["text"]["text"] == "done"


def test_submit_view_builds_state_and_applies_errors(
    fs: FakeSlack, app: App, client: WebClient
) -> None:
    view = modal(
        text_input("title"),
        {
            "type": "input",
            "block_id": "track",
            "label": {"type": "plain_text", "text": "Track"},
            "element": {
                "type": "static_select",
                "action_id": "pick",
                "options": [option("jax"), option("flax")],
            },
        },
        {
            "type": "input",
            "block_id": "mentors",
            "optional": True,
            "label": {"type": "plain_text", "text": "Mentors"},
            "element": {"type": "multi_users_select", "action_id": "who"},
        },
        private_metadata="proposal:1",
    )
    view_id = open_modal(fs, app, client, view)
    errors = {"response_action": "errors", "errors": {"title": "Too short"}}
    app.answer = lambda request: (200, json.dumps(errors).encode())

    response = fs.submit_view(ALICE, view_id, {"title": "J", "track": "flax"})

    payload = app.received[-1].payload
    assert payload["type"] == "view_submission"
    assert payload["view"]["id"] == view_id
    assert payload["view"]["private_metadata"] == "proposal:1"
    values = payload["view"]["state"]["values"]
    assert values["title"]["value"] == {"type": "plain_text_input", "value": "J"}
    assert values["track"]["pick"]["selected_option"]["value"] == "flax"
    assert values["mentors"]["who"] == {"type": "multi_users_select", "selected_users": []}
    assert response.json == errors
    assert fs.view_errors(view_id) == {"title": "Too short"}
    assert [v["id"] for v in fs.views(ALICE)] == [view_id]  # still open

    app.answer = lambda request: (200, b"")
    fs.submit_view(ALICE, view_id, {"title": "JAX on TPUs", "track": "jax"})
    assert fs.views(ALICE) == []  # an empty ack closes the modal


def test_submit_view_rejects_what_no_user_could_send(
    fs: FakeSlack, app: App, client: WebClient
) -> None:
    select = {
        "type": "input",
        "block_id": "track",
        "label": {"type": "plain_text", "text": "Track"},
        "element": {"type": "static_select", "action_id": "pick", "options": [option("jax")]},
    }
    view_id = open_modal(fs, app, client, modal(text_input("title"), select))
    with pytest.raises(ValueError, match="titel"):
        fs.submit_view(ALICE, view_id, {"titel": "typo"})
    with pytest.raises(ValueError, match="not an option"):
        fs.submit_view(ALICE, view_id, {"track": "pytorch"})


def test_submission_errors_for_unknown_block_are_a_violation(
    fs: FakeSlack, app: App, client: WebClient
) -> None:
    view_id = open_modal(fs, app, client, modal(text_input("title")))
    answer = {"response_action": "errors", "errors": {"summary": "required"}}
    app.answer = lambda request: (200, json.dumps(answer).encode())
    fs.submit_view(ALICE, view_id, {"title": "x"})
    assert fs.view_errors(view_id) == {}
    assert any("summary" in v for v in fs.violations)


def test_submission_update_and_push(fs: FakeSlack, app: App, client: WebClient) -> None:
    view_id = open_modal(fs, app, client, modal(text_input("title")))
    update = {"response_action": "update", "view": modal(section("Thanks!"), title="Done")}
    app.answer = lambda request: (200, json.dumps(update).encode())
    fs.submit_view(ALICE, view_id, {"title": "x"})
    assert fs.view(view_id)["title"]["text"] == "Done"

    fs.views(ALICE)  # still one modal, replaced in place
    push = {"response_action": "push", "view": modal(section("More"), title="Step 2")}
    app.answer = lambda request: (200, json.dumps(push).encode())
    fs.submit_view(ALICE, view_id, {})
    assert [v["title"]["text"] for v in fs.views(ALICE)] == ["Done", "Step 2"]


def test_close_view_notifies_only_when_asked(fs: FakeSlack, app: App, client: WebClient) -> None:
    quiet = open_modal(fs, app, client, modal(text_input("title")))
    assert fs.close_view(ALICE, quiet) is None
    loud = open_modal(fs, app, client, modal(text_input("title"), notify_on_close=True))
    response = fs.close_view(ALICE, loud)
    assert response is not None and response.status == 200
    assert app.received[-1].payload["type"] == "view_closed"
    assert fs.views(ALICE) == []


# ---------------------------------------------------------------------- scripted failures


def test_scripted_429_then_recovery(fs: FakeSlack, client: WebClient) -> None:
    fs.fail("chat.postMessage", status=429, retry_after=7)
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="general", text="first")
    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] == "7"
    assert err.value.response["error"] == "ratelimited"
    assert fs.messages("general") == []

    client.chat_postMessage(channel="general", text="second")
    assert [m["text"] for m in fs.messages("general")] == ["second"]
    assert [c.status for c in fs.calls_to("chat.postMessage")] == [429, 200]


def test_scripted_500_times_two(fs: FakeSlack, client: WebClient) -> None:
    fs.fail("users.info", status=500, times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as err:
            client.users_info(user=ALICE)
        assert err.value.response.status_code == 500
    assert client.users_info(user=ALICE)["user"]["real_name"] == "Alice A."


def test_scripted_error_and_delay(fs: FakeSlack, client: WebClient) -> None:
    fs.fail("conversations.members", status=200, error="fatal_error")
    with pytest.raises(SlackApiError) as err:
        client.conversations_members(channel=fs.channel_id("general"))
    assert err.value.response.status_code == 200
    assert err.value.response["error"] == "fatal_error"

    fs.slow("auth.test", 0.3)
    started = time.monotonic()
    assert client.auth_test()["ok"]
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    client.auth_test()
    assert time.monotonic() - started < 0.3


def test_peak_rates_are_recorded(fs: FakeSlack, client: WebClient, clock: FakeClock) -> None:
    for _ in range(3):
        client.chat_postMessage(channel="general", text="burst")
    clock.advance(61)
    client.chat_postMessage(channel="general", text="later")
    assert fs.peak_per_minute("chat.postMessage") == 3
    assert fs.peak_posts_per_second(fs.channel_id("general")) == 3
    assert fs.peak_per_minute("auth.test") == 0


def test_a_tier_is_enforced_per_minute_and_going_past_it_is_a_violation(clock: FakeClock) -> None:
    with FakeSlack(clock=clock) as slack:
        client = WebClient(base_url=slack.api_url, token=slack.bot_token)
        for n in range(20):  # Tier 2: a minute's worth at once is tolerated
            client.conversations_create(name=f"team-{n}")
            clock.advance(1)
        with pytest.raises(SlackApiError) as err:
            client.conversations_create(name="team-20")
        assert err.value.response.status_code == 429
        # The first call leaves the window 60 s after it was made, 40 s from now.
        assert int(err.value.response.headers["Retry-After"]) == 40
        assert slack.violations == [
            "conversations.create: over its rate limit (Tier2), answered 429"
        ]
        slack.violations.clear()
        clock.advance(40.1)
        assert client.conversations_create(name="team-20")["ok"]
        assert slack.violations == []


def test_posts_into_one_channel_are_paced_per_second(clock: FakeClock) -> None:
    with FakeSlack(clock=clock) as slack:
        slack.add_channel("general", members=[slack.bot_user_id])
        slack.add_channel("random", members=[slack.bot_user_id])
        client = WebClient(base_url=slack.api_url, token=slack.bot_token)
        for _ in range(5):  # a short burst is fine
            client.chat_postMessage(channel="general", text="hi")
        with pytest.raises(SlackApiError) as err:
            client.chat_postMessage(channel="general", text="one too many")
        assert err.value.response.status_code == 429
        slack.violations.clear()
        assert client.chat_postMessage(channel="random", text="elsewhere")["ok"]
        clock.advance(1.0)
        assert client.chat_postMessage(channel="general", text="a second later")["ok"]
        assert slack.violations == []


# ---------------------------------------------------------------------- conversations.create


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("x" * 81, "invalid_name_maxlength"),
        ("---", "invalid_name_punctuation"),
        ("Jax-Team", "invalid_name_specials"),
        ("jax team", "invalid_name_specials"),
        ("jax.team", "invalid_name_specials"),
        ("general", "name_taken"),
    ],
)
def test_conversations_create_name_rules(client: WebClient, name: str, error: str) -> None:
    with pytest.raises(SlackApiError) as err:
        client.api_call("conversations.create", data={"name": name})
    assert err.value.response["error"] == error


def test_conversations_create_and_invite(fs: FakeSlack, client: WebClient) -> None:
    created = client.conversations_create(name="team-jax_1", is_private=True)["channel"]
    assert created["is_private"] and created["is_member"]
    client.conversations_invite(channel=created["id"], users=f"{ALICE},{BOB}")
    assert fs.members(created["id"]) == [fs.bot_user_id, ALICE, BOB]
    for users, error in [(ALICE, "already_in_channel"), ("U0NOBODY", "user_not_found")]:
        with pytest.raises(SlackApiError) as err:
            client.conversations_invite(channel=created["id"], users=users)
        assert err.value.response["error"] == error
    with pytest.raises(SlackApiError) as err:
        client.conversations_invite(channel=created["id"], users=fs.bot_user_id)
    assert err.value.response["error"] == "cant_invite_self"


# ---------------------------------------------------------------------- reactions


def test_reactions_state_is_reflected_in_reactions_get(fs: FakeSlack, client: WebClient) -> None:
    channel = fs.channel_id("general")
    ts = client.chat_postMessage(channel=channel, text="vote")["ts"]
    fs.react(ALICE, channel, ts, "raised_hands", deliver=False)
    fs.react(BOB, channel, ts, ":raised_hands:", deliver=False)
    client.reactions_add(channel=channel, timestamp=ts, name="eyes")

    message = client.reactions_get(channel=channel, timestamp=ts, full=True)["message"]
    assert {r["name"]: (r["users"], r["count"]) for r in message["reactions"]} == {
        "raised_hands": ([ALICE, BOB], 2),
        "eyes": ([fs.bot_user_id], 1),
    }
    fs.unreact(ALICE, channel, ts, "raised_hands", deliver=False)
    client.reactions_remove(channel=channel, timestamp=ts, name="eyes")
    message = client.reactions_get(channel=channel, timestamp=ts, full=True)["message"]
    assert message["reactions"] == [{"name": "raised_hands", "users": [BOB], "count": 1}]
    assert fs.message("general", ts)["reactions"] == {"raised_hands": [BOB]}
    with pytest.raises(ValueError, match="already reacted"):
        fs.react(BOB, channel, ts, "raised_hands", deliver=False)


# ---------------------------------------------------------------------- requests to the app


def test_slash_command_is_signed_form(fs: FakeSlack, app: App) -> None:
    response = fs.slash_command(ALICE, "/propose", "JAX on TPUs", channel="general")
    request = app.received[-1]
    assert response.status == 200
    assert request.verified
    assert request.content_type == "application/x-www-form-urlencoded"
    form = request.form
    assert form["command"] == "/propose"
    assert form["text"] == "JAX on TPUs"
    assert form["user_id"] == ALICE
    assert form["channel_id"] == fs.channel_id("general")
    assert form["response_url"].startswith(fs.base_url + "/response/")
    assert form["trigger_id"]
    assert response.elapsed < 3


def test_slash_command_ack_body_reaches_the_user(fs: FakeSlack, app: App) -> None:
    app.answer = lambda request: (200, json.dumps({"text": "Working on it"}).encode())
    fs.slash_command(ALICE, "/propose")
    assert [e["text"] for e in fs.ephemerals(ALICE)] == ["Working on it"]


def test_click_sends_block_actions_for_a_real_button(
    fs: FakeSlack, app: App, client: WebClient
) -> None:
    button = {
        "type": "button",
        "action_id": "join",
        "text": {"type": "plain_text", "text": "Join"},
        "value": "proposal-7",
    }
    blocks = [section("JAX on TPUs"), {"type": "actions", "block_id": "act", "elements": [button]}]
    posted = client.chat_postMessage(channel="general", text="JAX on TPUs", blocks=blocks)

    fs.click(BOB, "join", channel="general", message_ts=posted["ts"])

    request = app.received[-1]
    assert request.verified
    assert request.content_type == "application/x-www-form-urlencoded"
    payload = request.payload
    assert payload["type"] == "block_actions"
    assert payload["container"]["message_ts"] == posted["ts"]
    assert payload["actions"][0]["value"] == "proposal-7"
    assert payload["actions"][0]["block_id"] == "act"
    assert payload["message"]["ts"] == posted["ts"]
    with pytest.raises(ValueError, match="leave"):
        fs.click(BOB, "leave", channel="general", message_ts=posted["ts"])

    # The response_url of the click can replace the message, as Slack does.
    new = {"replace_original": True, "text": "Joined", "blocks": [section("Joined")]}
    urllib.request.urlopen(
        urllib.request.Request(
            payload["response_url"],
            data=json.dumps(new).encode(),
            headers={"Content-Type": "application/json"},
        )
    )
    assert fs.message("general", posted["ts"])["text"] == "Joined"
    assert fs.calls_to("response_url")[0].status == 200


def test_click_in_a_home_tab(fs: FakeSlack, app: App, client: WebClient) -> None:
    overflow = {
        "type": "overflow",
        "action_id": "more",
        "options": [option("edit"), option("withdraw")],
    }
    home = {"type": "home", "blocks": [{**section("My proposals"), "accessory": overflow}]}
    view_id = client.views_publish(user_id=ALICE, view=home)["view"]["id"]
    fs.click(ALICE, "more", view_id=view_id, selected_option="withdraw")
    payload = app.received[-1].payload
    assert payload["container"] == {"type": "view", "view_id": view_id}
    assert payload["actions"][0]["selected_option"]["value"] == "withdraw"
    with pytest.raises(ValueError):
        fs.click(ALICE, "more", view_id=view_id, selected_option="delete")


def test_reaction_event_is_signed_json(fs: FakeSlack, app: App, client: WebClient) -> None:
    channel = fs.channel_id("general")
    ts = client.chat_postMessage(channel=channel, text="vote")["ts"]
    response = fs.react(ALICE, channel, ts, "raised_hands")
    assert response is not None and response.status == 200
    request = app.received[-1]
    assert request.verified
    assert request.content_type == "application/json"
    envelope = request.json
    assert envelope["type"] == "event_callback"
    assert envelope["event_id"].startswith("Ev")
    assert envelope["event"]["type"] == "reaction_added"
    assert envelope["event"]["item"] == {"type": "message", "channel": channel, "ts": ts}
    assert envelope["event"]["item_user"] == fs.bot_user_id
    assert fs.last_event_envelope == envelope

    fs.redeliver(envelope, retry_num=1)
    retry = app.received[-1]
    assert retry.json["event_id"] == envelope["event_id"]
    assert retry.headers["x-slack-retry-num"] == "1"
    assert retry.headers["x-slack-retry-reason"] == "http_timeout"


def test_lost_event_changes_state_only(fs: FakeSlack, app: App, client: WebClient) -> None:
    channel = fs.channel_id("general")
    ts = client.chat_postMessage(channel=channel, text="vote")["ts"]
    assert fs.react(ALICE, channel, ts, "tada", deliver=False) is None
    assert app.received == []
    assert fs.message(channel, ts)["reactions"] == {"tada": [ALICE]}


def test_forged_or_stale_requests_fail_verification(fs: FakeSlack, app: App) -> None:
    body = json.dumps({"type": "event_callback", "event": {"type": "app_mention"}}).encode()
    forged = fs.post_signed(body, "application/json", signature="v0=" + "0" * 64)
    stale = fs.post_signed(body, "application/json", timestamp=int(time.time()) - 600)
    genuine = fs.post_signed(body, "application/json")
    assert [forged.status, stale.status, genuine.status] == [401, 401, 200]
    assert [r.verified for r in app.received] == [False, False, True]


def test_slow_ack_is_a_violation(fs: FakeSlack, app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_requests, "ACK_DEADLINE", 0.05)  # instead of waiting 3 s

    def slow(request: Received) -> Answer:
        time.sleep(0.2)
        return 200, b""

    app.answer = slow
    response: Response = fs.slash_command(ALICE, "/propose")
    assert response.elapsed >= 0.2
    assert any("answered after" in v for v in fs.violations)


# ---------------------------------------------------------------------- vendored spec


def _load_vendor_script() -> Any:
    path = REPO_ROOT / "tools" / "vendor_slack_specs.py"
    spec = importlib.util.spec_from_file_location("vendor_slack_specs", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(
    SPECS_DIR is None,
    reason="needs Slack's reference specs (the project's shared/slack-specs): set "
    "SLACK_SPECS_DIR, or put shared/ beside the clone; looked in "
    + ", ".join(str(p) for p in SPECS_LOOKED_IN[:3]),
)
def test_vendored_spec_is_current() -> None:
    assert SPECS_DIR is not None
    vendor = _load_vendor_script()
    expected = vendor.render(vendor.build_methods(SPECS_DIR))
    vendored = (REPO_ROOT / "slackbot" / "sandbox" / "slack_methods.json").read_text()
    assert vendored == expected, "run: python tools/vendor_slack_specs.py"
    for name, data in vendor.manifest_schema_files(SPECS_DIR).items():
        copy = vendor.MANIFEST_SCHEMAS / name
        assert copy.read_bytes() == data, "run: python tools/vendor_slack_specs.py"


def test_vendored_spec_has_the_hand_added_methods() -> None:
    methods = json.loads((REPO_ROOT / "slackbot" / "sandbox" / "slack_methods.json").read_text())
    methods = methods["methods"]
    assert methods["files.getUploadURLExternal"]["required"] == ["filename", "length"]
    assert methods["files.completeUploadExternal"]["required"] == ["files"]
    assert methods["apps.connections.open"]["required"] == []
    assert methods["chat.postMessage"]["tier"] == "special"
    assert methods["conversations.history"]["required"] == ["channel"]

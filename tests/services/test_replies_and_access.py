"""Answering a person from deferred work, the apology when something failed on our side, and
what happens when Slack no longer lets the bot act (a real bus, FakeMessenger). The whole
stories are in tests/listeners/test_slack_changes.py and test_failures_and_buttons.py."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from slackbot.services.replies import APOLOGY, Apologize, Reply, on_work_failed, reply
from slackbot.services.slack_access import AccessRevoked, lost, writing_stopped
from slackbot.store.inbox import Work
from tests.services.outbox_world import World, build


@pytest.fixture
def world(tmp_path: Path) -> World:
    return build(tmp_path)


def test_without_a_response_url_the_answer_is_a_dm(world: World) -> None:
    reply(world.messenger, {"user": "U1"}, "Done.")
    reply(world.messenger, {"user": "U2", "response_url": "http://not-slack/x"}, "Done too.")
    assert world.dms("U1") == ["Done."] and world.dms("U2") == ["Done too."]
    reply(world.messenger, {}, "To no one.")
    assert len(world.messenger.sent) == 2


def test_the_apology_names_the_reference_the_log_has(world: World) -> None:
    world.bus.handle(Apologize("U1", "abc123"))
    assert world.dms("U1") == [APOLOGY.format(ref="abc123")]


def test_failed_deferred_work_is_logged_and_its_person_told(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    work = Work(7, "propose", "default", {}, "U1", 3, 0.0)
    with caplog.at_level(logging.ERROR, "slackbot.replies"):
        on_work_failed(work, RuntimeError("boom"), messenger=world.messenger)
    [said] = world.dms("U1")
    [logged] = [r.getMessage() for r in caplog.records if "work_failed" in r.getMessage()]
    ref = logged.split("ref=")[1].split()[0]
    assert said == APOLOGY.format(ref=ref) and "handler=propose id=7" in logged


def test_slack_saying_access_is_revoked_stops_the_writing(world: World) -> None:
    assert not writing_stopped(world.messenger)
    world.bus.handle(AccessRevoked("app_uninstalled"))
    assert writing_stopped(world.messenger) and world.messenger.access_lost() == "app_uninstalled"


@dataclass
class Flag:
    access_lost: str | None = None


@dataclass
class Stops:
    drains: list[float] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)

    def stop(self, *, drain: float = 0.0) -> None:
        self.drains.append(drain)
        self.done.set()


def test_a_lost_access_marks_the_ui_client_stops_the_refresher_and_says_why_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ui, updates = Flag(), Stops()
    with caplog.at_level(logging.ERROR, "slackbot.access"):
        lost("token_revoked", ui=ui, updates=updates)
    assert ui.access_lost == "token_revoked"
    assert updates.done.wait(5) and updates.drains == [0]
    [said] = [r.getMessage() for r in caplog.records]
    assert said.startswith("slack_access_lost reason=token_revoked: the bot stops writing")
    lost("invalid_auth", ui=ui, updates=Stops())
    assert ui.access_lost == "token_revoked"  # the first reason stays


@dataclass
class ResponseUrls:
    """A tiny loopback server standing in for Slack's response_url endpoint: what it was sent,
    by path; a path under /expired/ is refused, as Slack refuses a used-up response_url."""

    base: str
    received: list[tuple[str, dict[str, object]]]


@pytest.fixture
def response_urls() -> Iterator[ResponseUrls]:
    received: list[tuple[str, dict[str, object]]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, json.loads(body)))
            refused = self.path.startswith("/expired/")
            self.send_response(404 if refused else 200)
            self.end_headers()
            self.wfile.write(b"expired_url" if refused else b"ok")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield ResponseUrls(f"http://127.0.0.1:{server.server_address[1]}", received)
    server.shutdown()
    server.server_close()


def test_a_reply_goes_where_the_person_acted_when_slack_gave_a_response_url(
    world: World, response_urls: ResponseUrls
) -> None:
    url = f"{response_urls.base}/actions/T1/abc"
    world.bus.handle(Reply({"user": "U1", "response_url": url}, "Joined <Hindi>."))
    assert response_urls.received == [
        (
            "/actions/T1/abc",
            {"text": "Joined <Hindi>.", "response_type": "ephemeral", "replace_original": False},
        )
    ]
    assert world.messenger.sent == []  # said once, where they acted: no DM as well


def test_a_reply_falls_back_to_a_dm_when_the_response_url_fails_or_is_not_one(
    world: World, response_urls: ResponseUrls
) -> None:
    expired = f"{response_urls.base}/expired/abc"
    world.bus.handle(Reply({"user": "U1", "response_url": expired}, "Saved."))
    assert len(response_urls.received) == 1 and world.dms("U1") == ["Saved."]
    for not_one in ("http://localhost/x", "ftp://hooks.slack.com/x", "", 42):
        world.bus.handle(Reply({"user": "U2", "response_url": not_one}, "Done."))
    assert world.dms("U2") == ["Done."] * 4 and len(response_urls.received) == 1
    world.bus.handle(Reply({"response_url": expired}, "To no one."))  # nobody to DM
    assert [s.to for s in world.messenger.sent] == ["U1", "U2", "U2", "U2", "U2"]

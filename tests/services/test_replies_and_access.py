"""Answering a person from deferred work, the apology when something failed on our side, and
what happens when Slack no longer lets the bot act (a real bus, FakeMessenger). The whole
stories are in tests/listeners/test_slack_changes.py and test_failures_and_buttons.py."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from slackbot.services.replies import APOLOGY, Apologize, on_work_failed, reply
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

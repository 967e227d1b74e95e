"""Home tabs, handler by handler (ShowHome, TurnDashboardPage, RefreshHome, HomeView): a real
unit of work and FakeMessenger; milliseconds each. The stories over HTTP are in
tests/listeners/test_projects_and_home.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from slack_sdk.models.views import View

from slackbot.services import dashboard
from slackbot.services.home_pages import HomeView, RefreshHome, ShowHome, TurnDashboardPage
from tests.services.read_side import DEADLINES, ORG, World, build


@pytest.fixture
def world(tmp_path: Path) -> World:
    built = build(tmp_path)
    yield built
    dashboard.forget(built.uow)


def shown(world: World, user: str) -> str:
    return json.dumps(world.messenger.homes[user])


def test_opening_the_tab_makes_a_visitor_and_shows_what_is_true_now(world: World) -> None:
    world.post("Hindi RoBERTa", proposer="U0ALICE")
    assert world.bus.handle(ShowHome("U0ALICE")) is True
    assert world.uow.visitors.among({"U0ALICE", "U0BOB"}) == ["U0ALICE"]
    assert "Hindi RoBERTa" in shown(world, "U0ALICE")
    assert DEADLINES[0] in shown(world, "U0ALICE")  # the deadlines the bootstrap binds


def test_a_tab_slack_already_shows_costs_no_call(world: World) -> None:
    world.post("Hindi RoBERTa", proposer="U0ALICE")
    world.bus.handle(ShowHome("U0ALICE"))
    world.bus.handle(ShowHome("U0ALICE"))
    assert world.bus.handle(RefreshHome("U0ALICE")) is True
    assert len(world.messenger.to("U0ALICE", "home")) == 1
    world.post("Bengali GPT2", proposer="U0ALICE")  # a change the tab shows
    assert world.bus.handle(RefreshHome("U0ALICE")) is True
    assert len(world.messenger.to("U0ALICE", "home")) == 2
    assert "Bengali GPT2" in shown(world, "U0ALICE")


def test_a_tab_slack_refused_is_published_at_the_next_try(world: World) -> None:
    world.messenger.refuse.add("U0ALICE")
    assert world.bus.handle(ShowHome("U0ALICE")) is False
    assert world.uow.visitors.shown("U0ALICE") is None  # not recorded as shown
    world.messenger.refuse.clear()
    assert world.bus.handle(RefreshHome("U0ALICE")) is True
    assert len(world.messenger.to("U0ALICE", "home")) == 1


def test_only_an_organizer_turns_the_dashboard_and_sees_it(world: World) -> None:
    world.post("Hindi RoBERTa", proposer="U0ALICE")
    assert world.bus.handle(TurnDashboardPage("U0ALICE", {"unjoined": 10})) is False
    assert world.messenger.sent == []
    world.bus.handle(ShowHome("U0ALICE"))
    assert world.bus.handle(TurnDashboardPage(ORG, {"unjoined": 10})) is True
    organizer, member = shown(world, ORG), shown(world, "U0ALICE")
    assert "dash-people" in organizer and "dash-people" not in member
    assert "nobody joined yet" in organizer


def test_the_home_view_is_what_would_be_published_and_publishes_nothing(world: World) -> None:
    world.post("Hindi RoBERTa", proposer="U0ALICE")
    view = world.bus.handle(HomeView("U0ALICE"))
    assert isinstance(view, View) and "Hindi RoBERTa" in json.dumps(view.to_dict())
    assert world.messenger.sent == [] and world.messenger.homes == {}
    assert world.uow.visitors.among({"U0ALICE"}) == []  # reading it makes no visitor
    assert world.uow.visitors.shown("U0ALICE") is None
    world.bus.handle(ShowHome("U0ALICE"))
    assert world.messenger.homes["U0ALICE"] == view.to_dict()


def test_the_home_view_has_the_dashboard_for_an_organizer_only(world: World) -> None:
    world.post("Hindi RoBERTa", proposer="U0ALICE")
    organizer = json.dumps(world.bus.handle(HomeView(ORG)).to_dict())
    member = json.dumps(world.bus.handle(HomeView("U0ALICE")).to_dict())
    assert "dash-people" in organizer and "dash-people" not in member
    assert world.messenger.sent == []

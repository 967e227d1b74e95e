"""What follows a team change, handler by handler, with small fakes (no Slack, no HTTP): the
whole story (a reaction, its roster, the alert, the invitation) is in tests/listeners."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from slackbot.domain.events import MemberJoinedOfficialTeam, MemberLeftOfficialTeam, TeamChanged
from slackbot.services import team_followups
from slackbot.services.messagebus import MessageBus, inject_dependencies
from slackbot.store.db import Store
from slackbot.store.membership_repository import Memberships
from slackbot.store.standing_columns import StandingColumns
from slackbot.store.unit_of_work import UnitOfWork
from tests.fakes import FakeMessenger, FakeUpdates


@dataclass
class FakeOrganizers:
    ids: frozenset[str] = frozenset({"U0ORG"})

    def everyone(self) -> set[str]:
        return set(self.ids)


class TeamChannels(Memberships):
    """The real repository, with one official channel known (set up without a whole team)."""

    def __init__(self, store: Store, channels: dict[int, str]) -> None:
        super().__init__(store, StandingColumns(store, default_threshold=3, default_max=5))
        self.channels = channels

    def official_channel(self, proposal_id: int) -> str | None:
        return self.channels.get(proposal_id)


@dataclass
class World:
    bus: MessageBus
    updates: FakeUpdates
    messenger: FakeMessenger
    heard: list[object]


@pytest.fixture
def world(tmp_path: Path) -> World:
    store = Store(tmp_path / "week.db")
    store.migrate()
    uow = UnitOfWork(store, {"memberships": lambda s: TeamChannels(s, {7: "C0TEAM"})})
    updates, messenger, heard = FakeUpdates(), FakeMessenger(), []
    deps = {"uow": uow, "messenger": messenger, "updates": updates, "organizers": FakeOrganizers()}
    events = {
        kind: [inject_dependencies(h, deps) for h in handlers]
        for kind, handlers in team_followups.EVENTS.items()
    }
    events[MemberJoinedOfficialTeam] = [heard.append]
    events[MemberLeftOfficialTeam] = [heard.append]
    return World(MessageBus(uow, {}, events), updates, messenger, heard)


def test_a_forming_team_refreshes_only_the_homes_of_those_concerned(world: World) -> None:
    world.bus.publish(TeamChanged(3, "U0PROP", frozenset({"U1"}), joined=("U1",)))
    assert world.updates.homes == {"U0PROP", "U1"}
    assert world.updates.alerts == [] and world.updates.due == 0
    assert world.messenger.invited == {} and world.heard == []


def test_a_team_reaching_its_minimum_shows_on_the_dashboard_and_sends_the_alert(
    world: World,
) -> None:
    world.bus.publish(
        TeamChanged(
            3, "U0PROP", frozenset({"U2"}), ("U2",), status_changed=True, alerts_claimed=True
        )
    )
    assert "U0ORG" in world.updates.homes and world.updates.due == 1


def test_joining_an_official_team_invites_and_is_said_as_its_own_event(world: World) -> None:
    world.bus.publish(
        TeamChanged(7, "U0PROP", frozenset({"U3", "U4"}), ("U3",), ("U4",), official=True)
    )
    assert world.messenger.invited == {"C0TEAM": ["U3"]}
    assert world.updates.alerts == [7]  # the organizers' alert lists the members
    assert world.heard == [MemberJoinedOfficialTeam(7, "U3"), MemberLeftOfficialTeam(7, "U4")]


def test_a_waitlist_change_keeps_the_alert_current(world: World) -> None:
    world.bus.publish(TeamChanged(3, "U0PROP", frozenset({"U5"}), waitlist_changed=True))
    assert world.updates.alerts == [3]


def test_an_invitation_slack_refuses_does_not_stop_what_follows(world: World) -> None:
    world.messenger.refuse.add("C0TEAM")
    world.bus.publish(TeamChanged(7, "U0PROP", frozenset({"U6"}), ("U6",), official=True))
    assert world.heard == [MemberJoinedOfficialTeam(7, "U6")] and world.updates.alerts == [7]

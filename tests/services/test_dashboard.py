"""The organizers' dashboard and the people directory that feeds it (the channel's members,
the names): a real unit of work, FakeMessenger; milliseconds each."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from slackbot import bootstrap
from slackbot.services import dashboard, people_directory
from slackbot.services.messagebus import MessageBus
from slackbot.services.people_directory import (
    KeepDirectory,
    ReadNames,
    keep_directory,
    read_channel_members,
    read_names,
)
from tests.services.read_side import BOT, CHANNEL, ORG, World, build


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    built = build(tmp_path)
    yield built
    dashboard.forget(built.uow)


def board(world: World) -> dashboard.Dashboard:
    return dashboard.build(world.uow, world.settings, world.organizers, BOT)


def test_the_channels_members_minus_bots_and_organizers_are_its_participants(
    world: World,
) -> None:
    world.messenger.members[CHANNEL] = ["U0ALICE", "U0BOB", "U0HELPER", "U0GONE", BOT, ORG]
    for user in ("U0ALICE", "U0BOB", BOT, ORG):
        world.messenger.users[user] = {"id": user, "name": user.lower()}
    world.messenger.users["U0HELPER"] = {"id": "U0HELPER", "name": "helper", "is_bot": True}
    keep_directory(world.uow, world.messenger, CHANNEL)  # U0GONE: users.info finds nobody
    outside = {"U0HELPER", "U0GONE", BOT, ORG}
    assert dashboard.bystanders(world.uow, world.organizers, BOT) == outside
    proposal = world.post("Hindi RoBERTa", proposer="U0ALICE")
    world.join(proposal, "U0ALICE")
    seen = board(world)
    assert sorted(seen.facts.participants) == ["U0ALICE", "U0BOB"]
    assert seen.no_team == ["U0BOB"] and seen.in_a_team == 1


def test_the_numbers_are_read_again_after_a_while_or_when_forgotten(world: World) -> None:
    first = dashboard.facts(world.uow, world.settings, world.organizers, BOT, now=100.0)
    world.post("Hindi RoBERTa")
    again = dashboard.facts(world.uow, world.settings, world.organizers, BOT, now=110.0)
    assert again is first  # 10 s later: the same numbers
    later = 100.0 + dashboard.FRESH_FOR + 1
    fresh = dashboard.facts(world.uow, world.settings, world.organizers, BOT, now=later)
    assert fresh is not first
    dashboard.forget(world.uow)
    assert dashboard.facts(world.uow, world.settings, world.organizers, BOT, now=later) is not fresh


def test_the_members_are_read_page_by_page_and_kept_ten_minutes(world: World) -> None:
    world.messenger.members[CHANNEL] = [f"U{n:04d}" for n in range(1200)]
    assert read_channel_members(world.uow, world.messenger, CHANNEL) == 1200
    assert len(world.uow.people.channel_members()) == 1200
    assert read_channel_members(world.uow, world.messenger, CHANNEL) is None  # fresh enough
    world.messenger.budget["conversations.members"] = 1  # one page of three fits
    assert read_channel_members(world.uow, world.messenger, CHANNEL, force=True) is None
    world.messenger.refuse.add(CHANNEL)
    assert read_channel_members(world.uow, world.messenger, CHANNEL, force=True) is None
    assert len(world.uow.people.channel_members()) == 1200  # what was read stays


def test_names_are_read_within_the_budget_and_a_deleted_person_is_kept_as_such(
    world: World,
) -> None:
    world.messenger.users["U0ALICE"] = {"id": "U0ALICE", "profile": {"display_name": "alice"}}
    world.messenger.users["U0BOB"] = {"id": "U0BOB", "real_name": "Bob B", "deleted": True}
    world.uow.people.set_channel_members(["U0ALICE", "U0BOB", "U0GONE", "U0LATER"])
    world.messenger.budget["users.info"] = 3
    assert read_names(world.uow, world.messenger) == 2  # U0GONE is not found: not counted
    names = world.uow.people.names(["U0ALICE", "U0BOB", "U0GONE"])
    assert names == {"U0ALICE": "alice", "U0BOB": "Bob B", "U0GONE": "U0GONE"}
    assert world.uow.people.names(["U0LATER"]) == {}  # the budget was spent: the next run
    world.messenger.refuse.add("U0LATER")  # Slack cannot say: the run stops, nothing stored
    world.messenger.budget["users.info"] = 5
    assert read_names(world.uow, world.messenger) == 0
    assert world.uow.people.names(["U0LATER"]) == {}


def test_the_directory_job_forgets_the_dashboards_numbers_when_members_change(
    world: World,
) -> None:
    world.messenger.members[CHANNEL] = ["U0ALICE"]
    before = board(world).facts
    keep_directory(world.uow, world.messenger, CHANNEL)
    assert board(world).facts is not before
    assert people_directory.MEMBERS_EVERY > dashboard.FRESH_FOR


# --- the directory's commands, through the bus ---------------------------------------------
def directory_bus(world: World) -> MessageBus:
    return bootstrap.wire(world.uow, world.deps, [people_directory])


def test_the_directory_job_pages_the_members_then_reads_a_runs_worth_of_names(
    world: World,
) -> None:
    everyone = [f"U{n:04d}" for n in range(1200)]
    world.messenger.members[CHANNEL] = everyone
    world.messenger.users = {u: {"id": u, "profile": {"display_name": f"n{u}"}} for u in everyone}
    world.messenger.users["U0000"] = {"id": "U0000", "name": "robot", "is_bot": True}
    world.messenger.budget["conversations.members"] = 3  # 1200 members: 3 pages of 500
    bus = directory_bus(world)
    assert bus.handle(KeepDirectory()) is None
    assert world.messenger.budget["conversations.members"] == 0
    assert sorted(world.uow.people.channel_members()) == everyone
    named = world.uow.people.names(everyone)
    assert len(named) == people_directory.NAMES_PER_RUN  # within users.info's tier
    assert named["U0001"] == "nU0001" and world.uow.people.bots() == {"U0000"}
    # The next run, within ten minutes: the members are not read again, more names are.
    world.messenger.members[CHANNEL] = ["U9999"]
    world.messenger.budget["users.info"] = 7  # what is left of the budget now
    bus.handle(KeepDirectory())
    assert len(world.uow.people.channel_members()) == 1200
    assert len(world.uow.people.names(everyone)) == people_directory.NAMES_PER_RUN + 7
    assert world.messenger.sent == []  # reads only: nobody is told anything


def test_a_member_list_cut_short_by_the_budget_is_not_kept_half_read(world: World) -> None:
    world.messenger.members[CHANNEL] = [f"U{n:04d}" for n in range(1200)]
    world.messenger.budget["conversations.members"] = 2  # two pages of three
    directory_bus(world).handle(KeepDirectory())
    assert world.uow.people.channel_members() == []
    assert world.uow.people.channel_synced_at() is None  # tried again at the next run


def test_read_names_reads_the_unknown_first_up_to_the_limit_and_the_budget(world: World) -> None:
    world.uow.people.remember("U0OLD", "old name")
    world.uow.people.set_channel_members(["U0OLD", "U0ALICE", "U0BOB", "U0CAROL"])
    world.messenger.users = {
        u: {"id": u, "profile": {"real_name": u.lower()}}
        for u in ("U0OLD", "U0ALICE", "U0BOB", "U0CAROL")
    }
    bus = directory_bus(world)
    assert bus.handle(ReadNames(limit=2)) == 2
    assert bus.handle(ReadNames(limit=5)) == 1  # the old name is not old enough yet
    assert world.uow.people.names(["U0OLD", "U0ALICE", "U0BOB", "U0CAROL"]) == {
        "U0OLD": "old name",
        "U0ALICE": "u0alice",
        "U0BOB": "u0bob",
        "U0CAROL": "u0carol",
    }
    world.uow.people.set_channel_members(["U0DAVE", "U0ERIN"])
    world.messenger.users.update({u: {"id": u, "name": u} for u in ("U0DAVE", "U0ERIN")})
    world.messenger.budget["users.info"] = 1
    assert bus.handle(ReadNames(limit=5)) == 1  # the budget, not the limit, stops it
    assert len(world.uow.people.names(["U0DAVE", "U0ERIN"])) == 1

"""Changes made in Slack behind the bot's back (a team channel renamed or archived, an account
deactivated), handler by handler: a real unit of work, FakeMessenger, FakeUpdates; milliseconds
each. The stories over HTTP are in tests/listeners/test_slack_changes.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from slackbot.services.workspace_changes import (
    ArchiveTeamChannel,
    PersonDeactivated,
    RenameTeamChannel,
)
from tests.services.read_side import CHANNEL, ORG, World, build


@pytest.fixture
def world(tmp_path: Path) -> World:
    return build(tmp_path)


def test_a_renamed_team_channel_is_stored_and_its_post_redrawn(world: World) -> None:
    team = world.official(world.post("Hindi RoBERTa"), channel="C0TEAM")
    world.bus.handle(RenameTeamChannel("C0TEAM", "hindi-lm"))
    assert world.uow.memberships.official_channel_name(team.id) == "#hindi-lm"
    assert world.updates.posts == [team.id]
    world.bus.handle(RenameTeamChannel("C0OTHER", "random"))  # not a team's: nothing
    assert world.updates.posts == [team.id]


def test_an_archived_team_channel_is_told_to_the_organizers(world: World) -> None:
    world.official(world.post("Hindi <RoBERTa>"), channel="C0TEAM")
    world.bus.handle(ArchiveTeamChannel("C0TEAM", "U0ALICE"))
    (told,) = world.messenger.to(ORG, "dm")
    assert "<#C0TEAM>" in told.text and "Hindi &lt;RoBERTa&gt;" in told.text
    assert "by <@U0ALICE>" in told.text and "stays official" in told.text


def test_the_proposals_channel_archived_is_logged_not_told(world: World) -> None:
    world.bus.handle(ArchiveTeamChannel(CHANNEL, "U0ALICE"))
    assert world.messenger.sent == []


def test_a_deactivated_account_leaves_open_teams_once(world: World) -> None:
    official = world.post("Hindi RoBERTa", proposer="U0ALICE")
    world.join(official, "U0ALICE", "U0BOB")
    official = world.official(official)
    open_team = world.post("Spanish mT5", proposer="U0DAVE")
    world.join(open_team, "U0DAVE", "U0BOB")
    own = world.post("German GPT2", proposer="U0BOB")
    for _ in range(2):
        world.bus.handle(PersonDeactivated("U0BOB", "bob"))
    assert "U0BOB" not in world.team(open_team) and "U0BOB" in world.team(official)
    assert "U0BOB" in world.uow.people.bots()  # no longer counted as a participant
    (told,) = world.messenger.to(ORG, "dm")
    assert "was deactivated" in told.text and "official team" in told.text
    assert f"#{own.id}" in told.text
    assert open_team.id in world.updates.posts  # its post redrawn


def test_a_deactivated_account_with_nothing_open_is_not_told(world: World) -> None:
    world.bus.handle(PersonDeactivated("U0CAROL", "carol"))
    assert world.messenger.sent == []

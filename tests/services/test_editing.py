"""The proposer's edit and withdrawal, and leaving a team, handler by handler: a real unit of
work on a migrated database, the bus wired as the bootstrap wires it, FakeMessenger and
FakeUpdates; milliseconds each. The whole stories (the ⋯ menu, the Leave button, the form) are
in tests/listeners."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import pytest

from slackbot import bootstrap
from slackbot.config import Settings
from slackbot.domain.answers import Answer
from slackbot.domain.events import TeamChanged
from slackbot.domain.proposal import Proposal, Status
from slackbot.domain.teams import BUTTON, Signal
from slackbot.domain.validation import Draft
from slackbot.services import editing
from slackbot.services.editing import AfterEdit, EditProposal, LeaveTeam, Withdraw, rederive_idea
from slackbot.services.hub_checks import HubChecks
from slackbot.services.messagebus import MessageBus
from slackbot.store.db import Store
from slackbot.store.hub_answers import HubAnswers
from slackbot.store.proposal_repository import Proposals
from slackbot.store.standing_columns import StandingColumns
from slackbot.store.unit_of_work import UnitOfWork
from tests.fakes import FakeMessenger, FakeUpdates

CHANNEL = "C0PROPOSALS"
ORGS = ("U0ORG1", "U0ORG2")
PROPOSER = "U0PROP"


@dataclass
class FakeOrganizers:
    def everyone(self) -> set[str]:
        return set(ORGS)

    def alert_targets(self) -> list[str]:
        return list(ORGS)


def draft(name: str, **answers: str) -> Draft:
    values = {
        "name": name,
        "description": f"{name}: we fine-tune it and share it on the Hub.",
        "model": "roberta-base",
        "datasets": "oscar",
        "training_scripts": "run_mlm_flax.py",
        **answers,
    }
    return Draft(answers=values, languages=["hindi"])


@dataclass
class World:
    store: Store
    uow: UnitOfWork
    bus: MessageBus
    hub: HubChecks
    messenger: FakeMessenger
    updates: FakeUpdates
    heard: list[TeamChanged] = field(default_factory=list)

    def post(self, name: str = "PreTrain RoBERTa from scratch in Hindi") -> Proposal:
        with self.uow:
            proposals: Proposals = self.uow.proposals
            created, _ = proposals.create(draft(name), PROPOSER, submission_key=f"k-{name}")
            proposals.claim_for_posting(created.id)
            posted, _ = proposals.mark_posted(
                created.id, channel=CHANNEL, ts="1700000000.000001", permalink="https://x/p1"
            )
            self.uow.commit()
        return posted

    def join(self, proposal: Proposal, *users: str) -> None:
        with self.uow:
            for user in users:
                self.uow.memberships.apply(proposal, Signal(user, BUTTON, True, 1.0))
            self.uow.commit()

    def get(self, proposal_id: int) -> Proposal:
        found: Proposal = self.uow.proposals.get(proposal_id)
        return found


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    store = Store(tmp_path / "week.db")
    store.migrate()
    standings = StandingColumns(store, default_threshold=3, default_max=4)
    uow = bootstrap.unit_of_work(store, standings)
    hub = HubChecks(None, HubAnswers(store), time_box=0.1)  # offline: asks nothing
    messenger, updates = FakeMessenger(), FakeUpdates()
    heard: list[TeamChanged] = []

    class Heard:
        EVENTS: ClassVar = {TeamChanged: [heard.append]}

    deps = {
        "uow": uow,
        "hub": hub,
        "messenger": messenger,
        "updates": updates,
        "organizers": FakeOrganizers(),
        "settings": Settings(_env_file=None, SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET="s"),  # type: ignore[call-arg]
    }
    bus = bootstrap.wire(uow, deps, [editing, Heard])
    yield World(store, uow, bus, hub, messenger, updates, heard)
    store.close()


# --- the edit -------------------------------------------------------------------------------
def test_the_proposer_edits_and_is_told_where_it_is(world: World) -> None:
    project = world.post()
    changed = draft("PreTrain RoBERTa from scratch in Hindi", description="A better one.")
    outcome = world.bus.handle(EditProposal(PROPOSER, project.id, changed))
    assert outcome.ok and outcome.said.answer is Answer.EDITED
    assert world.get(project.id).answers["description"] == "A better one."
    assert world.messenger.sent == []  # the form's ack says it; the rest is AfterEdit's


def test_only_the_proposer_edits_and_a_draft_with_problems_is_sent_back(world: World) -> None:
    project = world.post()
    other = world.bus.handle(EditProposal("U0EVE", project.id, draft("Mine now")))
    assert not other.ok and other.said.answer is Answer.NOT_PROPOSER
    gone = world.bus.handle(EditProposal(PROPOSER, 999, draft("Gone")))
    assert not gone.ok and gone.said.answer is Answer.NO_SUCH_PROJECT
    invalid = world.bus.handle(EditProposal(PROPOSER, project.id, draft("")))
    assert not invalid.ok and "name" in invalid.errors
    assert world.get(project.id).name == project.name


def test_a_withdrawn_proposal_is_not_edited(world: World) -> None:
    project = world.post()
    world.bus.handle(Withdraw(PROPOSER, project.id))
    outcome = world.bus.handle(EditProposal(PROPOSER, project.id, draft("Back again")))
    assert not outcome.ok and outcome.said.answer is Answer.WITHDRAWN_NO_EDIT


def test_after_an_edit_the_post_and_home_tabs_are_redrawn_and_a_met_minimum_alerts(
    world: World,
) -> None:
    project = world.post()
    world.join(project, "U1", "U2")  # three with the proposer: the threshold
    world.bus.handle(AfterEdit(PROPOSER, project.id))
    assert world.updates.posts == [project.id]
    assert world.updates.homes == {PROPOSER, *ORGS}
    assert world.updates.due == 1  # the organizers' alert was claimed, to be sent
    world.bus.handle(AfterEdit(PROPOSER, project.id))
    assert world.updates.due == 1  # claimed once


def test_the_idea_is_derived_again_when_the_hub_answers(world: World) -> None:
    project = world.post()
    rederive_idea(project.id, uow=world.uow, hub=world.hub)  # in its own unit of work
    rederive_idea(999, uow=world.uow, hub=world.hub)  # gone meanwhile: nothing to do
    assert world.get(project.id).name == project.name


# --- withdrawing ----------------------------------------------------------------------------
def test_withdrawing_a_ready_team_tells_the_organizers_and_redraws(world: World) -> None:
    project = world.post()
    world.join(project, "U1", "U2")
    outcome = world.bus.handle(Withdraw(PROPOSER, project.id))
    assert outcome.ok and outcome.said.answer is Answer.WITHDRAWN
    assert world.get(project.id).status is Status.WITHDRAWN
    for organizer in ORGS:
        (told,) = world.messenger.to(organizer, "dm")
        assert project.name in told.text
    assert world.updates.posts == [project.id]
    assert {PROPOSER, "U1", "U2", *ORGS} <= world.updates.homes
    again = world.bus.handle(Withdraw(PROPOSER, project.id))
    assert not again.ok and again.said.answer is Answer.ALREADY_STATUS


def test_withdrawing_a_team_not_ready_tells_nobody_and_only_the_proposer_withdraws(
    world: World,
) -> None:
    project = world.post()
    refused = world.bus.handle(Withdraw("U1", project.id))
    assert not refused.ok and refused.said.answer is Answer.NOT_PROPOSER
    assert world.get(project.id).status is Status.OPEN
    assert world.bus.handle(Withdraw(PROPOSER, project.id)).ok
    assert world.messenger.sent == []


# --- leaving --------------------------------------------------------------------------------
def test_leaving_changes_the_team_once_committed(world: World) -> None:
    project = world.post()
    world.join(project, "U1")
    outcome = world.bus.handle(LeaveTeam("U1", project.id, 2.0))
    assert outcome.ok and outcome.said.answer is Answer.LEFT
    assert world.uow.memberships.team(project).members == [PROPOSER]
    (changed,) = world.heard
    assert changed.proposal_id == project.id and changed.left == ("U1",)
    assert "U1" in world.updates.homes and world.updates.posts == [project.id]
    again = world.bus.handle(LeaveTeam("U1", project.id, 3.0))
    assert again.ok and again.said.answer is Answer.NOT_IN_TEAM
    assert len(world.heard) == 1  # no change, no event


def test_the_proposer_cannot_leave_and_a_gone_project_is_said_so(world: World) -> None:
    project = world.post()
    own = world.bus.handle(LeaveTeam(PROPOSER, project.id))
    assert not own.ok and own.said.answer is Answer.PROPOSER_CANNOT_LEAVE
    gone = world.bus.handle(LeaveTeam("U1", 999))
    assert not gone.ok and gone.said.answer is Answer.NO_SUCH_PROJECT
    assert world.heard == []

"""Making a team official and "Not yet", handler by handler: a real unit of work on a migrated
database, the bus wired as the bootstrap wires it, FakeMessenger and FakeUpdates; milliseconds
each. The whole stories (the alert's button, the channel in Slack) are in tests/listeners.

`build` and `World` are shared with tests/services/test_organizing.py."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pytest

from slackbot import bootstrap
from slackbot.config import Settings
from slackbot.domain.answers import Answer, Person
from slackbot.domain.events import Event, OfficialUndone, TeamChanged, TeamMadeOfficial
from slackbot.domain.proposal import Proposal, Status
from slackbot.domain.teams import BUTTON, Signal
from slackbot.domain.validation import Draft
from slackbot.services import officiating, organizing, posting
from slackbot.services.alerting import THRESHOLD
from slackbot.services.hub_checks import HubChecks
from slackbot.services.messagebus import MessageBus
from slackbot.services.notices import OFFICIAL
from slackbot.services.officiating import MakeOfficial, NotYet
from slackbot.services.organizing import UndoOfficial
from slackbot.slack.organizer_directory import Organizers
from slackbot.store.alert_records import Alerts
from slackbot.store.audit_log import Audit
from slackbot.store.db import Store
from slackbot.store.hub_answers import HubAnswers
from slackbot.store.notices import Notice, Notices
from slackbot.store.proposal_repository import Proposals
from slackbot.store.standing_columns import StandingColumns
from slackbot.store.unit_of_work import UnitOfWork
from tests.fakes import FakeMessenger, FakeUpdates

CHANNEL = "C0PROPOSALS"
BOT = "UBOT"
ORG = "U0ORG1"
TEAM_URL = "https://week.slack.com/"
ALERT_TS = "1650000000.000001"


@dataclass
class World:
    store: Store
    uow: UnitOfWork
    bus: MessageBus
    messenger: FakeMessenger
    updates: FakeUpdates
    heard: list[Event] = field(default_factory=list)
    digests: list[str] = field(default_factory=list)
    posted: int = 0

    def post(self, name: str, members: tuple[str, ...] = (), proposer: str = "U0PROP") -> Proposal:
        """A proposal in the proposals channel (its ts recorded), with these members."""
        proposals: Proposals = self.uow.proposals
        draft = Draft(answers={"name": name}, languages=["english"])
        created, _ = proposals.create(draft, proposer, submission_key=f"k-{name}")
        assert proposals.claim_for_posting(created.id) is not None
        self.posted += 1
        posted, _ = proposals.mark_posted(
            created.id, channel=CHANNEL, ts=f"1600000000.{self.posted:06d}", permalink="https://x"
        )
        with self.uow:
            for n, user in enumerate(members):
                self.uow.memberships.apply(
                    posted, Signal(user, BUTTON, True, time.time() - 100 + n)
                )
            self.uow.commit()
        return self.get(posted.id)

    def get(self, proposal_id: int) -> Proposal:
        found: Proposal = self.uow.proposals.get(proposal_id)
        return found

    def members(self, proposal_id: int) -> list[str]:
        return list(self.uow.memberships.team(self.get(proposal_id)).members)

    def waitlist(self, proposal_id: int) -> list[str]:
        return list(self.uow.memberships.team(self.get(proposal_id)).waitlist)

    def queued(self) -> list[Notice]:
        """Every notice in the outbox, due or not (taken out: each read says what is new)."""
        outbox: Notices = self.uow.notices
        return outbox.claim_due(time.time() + 10**9, hold=3600)

    def actions(self) -> list[str]:
        audit: Audit = self.uow.audit
        return [e.action for e in audit.entries()]

    def events(self, kind: type[Event]) -> list[Any]:
        return [e for e in self.heard if isinstance(e, kind)]

    def alerted(self, proposal: Proposal, kind: str = THRESHOLD) -> str:
        """The organizers' alert about this team, in ORG's DM (D0ORG1); its ts."""
        alerts: Alerts = self.uow.alerts
        with self.uow:
            assert alerts.claim(proposal.id, kind, [ORG])
            [delivery] = alerts.due(proposal_id=proposal.id)
            alerts.sent(delivery, "D0ORG1", ALERT_TS)
            self.uow.commit()
        return ALERT_TS

    def decision(self, proposal_id: int) -> tuple[str, str] | None:
        alerts: Alerts = self.uow.alerts
        found = alerts.decision(proposal_id, THRESHOLD)
        return None if found is None else (found.by, found.outcome)

    def alert_redraws(self) -> list[str]:
        """The alert copies rewritten (the alert's ts, in ORG's DM)."""
        return [s.ts or "" for s in self.messenger.to("D0ORG1", "update")]


def build(tmp_path: Path, **settings: Any) -> World:
    store = Store(tmp_path / "week.db")
    store.migrate()
    standings = StandingColumns(store, default_threshold=3, default_max=4)
    uow = bootstrap.unit_of_work(store, standings)
    config = Settings(
        _env_file=None, SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET="s", **settings
    )  # type: ignore[call-arg]
    world = World(store, uow, MessageBus(uow, {}, {}), FakeMessenger(), FakeUpdates())

    def hear(event: Event) -> None:
        # Heard only once the change is stored for good: no transaction is open any more.
        assert not store.conn.in_transaction
        world.heard.append(event)

    class Heard:
        EVENTS: ClassVar = {TeamMadeOfficial: [hear], OfficialUndone: [hear], TeamChanged: [hear]}

    def digest() -> str:
        world.digests.append("now")
        return "posted"

    deps = {
        "uow": uow,
        "messenger": world.messenger,
        "settings": config,
        "organizers": Organizers([ORG, "U0ORG2"], None, None, BOT),  # type: ignore[arg-type]
        "updates": world.updates,
        "hub": HubChecks(None, HubAnswers(store), time_box=0.1),  # offline: asks nothing
        "bot_user_id": BOT,
        "channel_id": CHANNEL,
        "team_url": TEAM_URL,
        "post_digest": digest,
    }
    deps["poster"] = posting.Poster(
        uow,
        world.messenger,
        deps["hub"],
        world.updates,
        deps["organizers"],
        CHANNEL,
        TEAM_URL,
        config.JOIN_EMOJI[0],
    )
    world.bus = bootstrap.wire(uow, deps, [officiating, organizing, posting, Heard])
    return world


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    built = build(tmp_path)
    yield built
    built.store.close()


# --- MakeOfficial -------------------------------------------------------------------------
def test_an_organizer_makes_a_team_official_with_its_channel_and_announcements(
    world: World,
) -> None:
    project = world.post("Hindi RoBERTa", ("U1", "U2"))
    world.alerted(project)
    outcome = world.bus.handle(MakeOfficial(ORG, project.id))
    assert outcome.ok and outcome.said.answer is Answer.MADE_OFFICIAL
    assert world.get(project.id).status is Status.OFFICIAL
    assert world.actions() == ["make_official"]
    # Each member is told once the channel exists (a few seconds on).
    assert sorted(n.user_id for n in world.queued() if n.kind == OFFICIAL) == ["U0PROP", "U1", "U2"]
    [(channel, name)] = world.messenger.channels.items()
    assert name == "team-hindi-roberta"
    assert world.uow.memberships.official_channel(project.id) == channel
    assert world.messenger.invited[channel] == ["U0PROP", "U1", "U2"]
    # The channel's welcome, then the proposal, pinned; then the thread is told.
    welcome, summary = world.messenger.to(channel, "post")
    assert "Hindi RoBERTa" in welcome.text and "Submit your demo" in json.dumps(welcome.blocks)
    assert summary.text == "The proposal this team was made from: Hindi RoBERTa."
    assert world.messenger.pins == [(channel, summary.ts)]
    [announced] = world.messenger.to(CHANNEL, "post")
    assert announced.thread_ts == project.ts and f"<#{channel}>" in announced.text
    # The alert says who decided; the post and the alert's copies are redrawn.
    assert world.decision(project.id) == (ORG, "official")
    [redrawn] = world.messenger.to("D0ORG1", "update")
    assert redrawn.ts == ALERT_TS and "Made official" in json.dumps(redrawn.blocks)
    assert project.id in world.updates.posts
    [made] = world.events(TeamMadeOfficial)
    assert made == TeamMadeOfficial(project.id, ("U0PROP", "U1", "U2"), channel)


def test_only_an_organizer_may_and_only_once(world: World) -> None:
    project = world.post("Hindi RoBERTa", ("U1",))
    refused = world.bus.handle(MakeOfficial("U1", project.id))
    assert not refused.ok and refused.said.answer is Answer.NOT_ORGANIZER
    assert world.get(project.id).status is Status.OPEN and world.messenger.sent == []
    world.bus.handle(MakeOfficial(ORG, project.id))
    again = world.bus.handle(MakeOfficial("U0ORG2", project.id))
    assert not again.ok and again.said.answer is Answer.ALREADY_OFFICIAL_BY
    assert dict(again.said.facts)["organizer"] == Person(ORG)
    assert len(world.events(TeamMadeOfficial)) == 1 and world.actions() == ["make_official"]
    gone = world.bus.handle(MakeOfficial(ORG, 999))
    assert not gone.ok and gone.said.answer is Answer.PROJECT_GONE


def test_a_closed_project_cannot_be_made_official(world: World) -> None:
    project = world.post("Hindi RoBERTa")
    world.uow.proposals.set_status(project.id, Status.CLOSED)
    outcome = world.bus.handle(MakeOfficial(ORG, project.id))
    assert not outcome.ok and outcome.said.answer is Answer.CANNOT_BE_OFFICIAL
    assert world.queued() == [] and world.heard == []


def test_a_taken_channel_name_is_passed_over_and_a_refusal_leaves_the_thread_told(
    tmp_path: Path,
) -> None:
    world = build(tmp_path)
    world.messenger.taken.add("team-hindi-roberta")
    first = world.post("Hindi RoBERTa", ("U1",))
    world.bus.handle(MakeOfficial(ORG, first.id))
    [name] = world.messenger.channels.values()
    assert name == "team-hindi-roberta-2"
    # Slack refuses to make a channel at all: the team is official, the thread is told.
    second = world.post("Tamil T5", ("U2",))
    world.messenger.refuse.add("team-tamil-t5")
    assert world.bus.handle(MakeOfficial(ORG, second.id)).ok
    assert len(world.messenger.channels) == 1
    assert world.uow.memberships.official_channel(second.id) is None
    assert world.events(TeamMadeOfficial)[-1].team_channel is None
    assert [s.thread_ts for s in world.messenger.to(CHANNEL, "post")] == [first.ts, second.ts]


def test_without_team_channels_only_the_thread_is_told(tmp_path: Path) -> None:
    world = build(tmp_path, CREATE_TEAM_CHANNELS=False)
    project = world.post("Hindi RoBERTa", ("U1",))
    assert world.bus.handle(MakeOfficial(ORG, project.id)).ok
    assert world.messenger.channels == {} and world.messenger.invited == {}
    assert [s.to for s in world.messenger.sent] == [CHANNEL]


def test_a_welcome_slack_refuses_is_not_pinned_and_the_rest_goes_on(world: World) -> None:
    project = world.post("Hindi RoBERTa", ("U1",))
    world.messenger.refuse.add("C0TEAM1")  # the channel the fake makes first
    assert world.bus.handle(MakeOfficial(ORG, project.id)).ok
    assert world.messenger.pins == [] and world.messenger.to("C0TEAM1") == []
    assert len(world.messenger.to(CHANNEL, "post")) == 1 and len(world.heard) == 1


def test_made_official_again_keeps_its_channel(world: World) -> None:
    project = world.post("Hindi RoBERTa", ("U1",))
    world.bus.handle(MakeOfficial(ORG, project.id))
    [channel] = world.messenger.channels
    assert world.bus.handle(UndoOfficial(ORG, project.id)).ok
    assert world.bus.handle(MakeOfficial(ORG, project.id)).ok
    assert list(world.messenger.channels) == [channel]  # no second channel
    assert [e.team_channel for e in world.events(TeamMadeOfficial)] == [channel, channel]


# --- NotYet -------------------------------------------------------------------------------
def test_not_yet_is_recorded_on_the_alert_and_refused_to_others(world: World) -> None:
    project = world.post("Hindi RoBERTa", ("U1", "U2"))
    world.alerted(project)
    refused = world.bus.handle(NotYet("U1", project.id))
    assert not refused.ok and refused.said.answer is Answer.NOT_ORGANIZER
    assert world.decision(project.id) is None and world.alert_redraws() == []
    noted = world.bus.handle(NotYet(ORG, project.id))
    assert noted.ok and noted.said.answer is Answer.NOTED_NOT_YET
    assert world.decision(project.id) == (ORG, "not_yet")
    assert world.alert_redraws() == [ALERT_TS]
    assert world.get(project.id).status is Status.OPEN
    assert [s.kind for s in world.messenger.sent] == ["update"]  # only the alert, redrawn

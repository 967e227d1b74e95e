"""Joining and leaving, handler by handler: a real unit of work on a migrated database, the
bus wired as the bootstrap wires it, FakeUpdates and FakeMessenger; milliseconds each. The
whole stories (a reaction in Slack, its roster, the alert, the DMs) are in tests/listeners."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, ClassVar, cast

import pytest

from slackbot import bootstrap
from slackbot.config import Settings
from slackbot.domain.answers import Answer
from slackbot.domain.events import TeamChanged
from slackbot.domain.proposal import Proposal, Status
from slackbot.domain.validation import Draft
from slackbot.listeners.events import reactions
from slackbot.machinery.workers import Workers
from slackbot.services import join_requests, joining
from slackbot.services.joining import (
    ApplyReactions,
    JoinTeam,
    PostNotRecordedYet,
    ReactionSignal,
)
from slackbot.services.messagebus import MessageBus
from slackbot.services.notices import JOIN_REQUEST, NEWS, PLACE
from slackbot.services.runtime import Runtime
from slackbot.store.db import Store
from slackbot.store.inbox import Inbox, Work
from slackbot.store.notices import Notice, Notices
from slackbot.store.proposal_repository import Proposals
from slackbot.store.standing_columns import StandingColumns
from slackbot.store.unit_of_work import UnitOfWork
from tests.fakes import FakeMessenger, FakeUpdates

CHANNEL = "C0PROPOSALS"
BOT = "UBOT"
ORGS = ("U0ORG1", "U0ORG2")
EMOJI = "raised_hand"


@dataclass
class FakeOrganizers:
    ids: tuple[str, ...] = ORGS

    def everyone(self) -> set[str]:
        return set(self.ids)

    def alert_targets(self) -> list[str]:
        return list(self.ids)


@dataclass
class World:
    store: Store
    uow: UnitOfWork
    bus: MessageBus
    updates: FakeUpdates
    messenger: FakeMessenger
    settings: Settings
    heard: list[TeamChanged] = field(default_factory=list)
    posted: int = 0

    def post(self, name: str, proposer: str = "U0PROP") -> Proposal:
        """A proposal posted in the proposals channel (its ts recorded)."""
        proposals: Proposals = self.uow.proposals
        draft = Draft(answers={"name": name}, languages=["english"])
        created, _ = proposals.create(draft, proposer, submission_key=f"k-{name}")
        assert proposals.claim_for_posting(created.id) is not None
        self.posted += 1
        posted, _ = proposals.mark_posted(
            created.id, channel=CHANNEL, ts=self.ts(self.posted), permalink="https://x"
        )
        return posted

    @staticmethod
    def ts(n: int) -> str:
        return f"1700000000.{n:06d}"

    def official(self, proposal: Proposal) -> Proposal:
        with self.uow:
            team = self.uow.memberships.team(proposal)
            self.uow.memberships.record_official(proposal, team, ORGS[0])
            self.uow.proposals.set_status(proposal.id, Status.OFFICIAL)
            self.uow.commit()
        found: Proposal = self.uow.proposals.get(proposal.id)
        return found

    def react(
        self, proposal: Proposal, user: str, *, added: bool = True, at: float | None = None
    ) -> ReactionSignal:
        assert proposal.ts is not None
        return ReactionSignal(proposal.ts, user, EMOJI, added, time.time() if at is None else at)

    def members(self, proposal: Proposal) -> list[str]:
        return list(self.uow.memberships.team(proposal).members)

    def waitlist(self, proposal: Proposal) -> list[str]:
        return list(self.uow.memberships.team(proposal).waitlist)

    def queued(self) -> list[Notice]:
        """Every notice in the outbox, due or not (taken out: each read says what is new)."""
        outbox: Notices = self.uow.notices
        return outbox.claim_due(time.time() + 10**9, hold=3600)


def build(tmp_path: Path, **settings: Any) -> World:
    store = Store(tmp_path / "week.db")
    store.migrate()
    standings = StandingColumns(store, default_threshold=3, default_max=4)
    uow = bootstrap.unit_of_work(store, standings)
    config = Settings(
        _env_file=None, SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET="s", **settings
    )  # type: ignore[call-arg]
    updates, messenger = FakeUpdates(), FakeMessenger()
    heard: list[TeamChanged] = []

    def hear(event: TeamChanged) -> None:
        # Heard only once the change is stored for good: no transaction is open any more.
        assert not store.conn.in_transaction
        heard.append(event)

    class Heard:
        EVENTS: ClassVar = {TeamChanged: [hear]}

    deps = {
        "uow": uow,
        "settings": config,
        "organizers": FakeOrganizers(),
        "updates": updates,
        "messenger": messenger,
        "channel_id": CHANNEL,
        "bot_user_id": BOT,
    }
    bus = bootstrap.wire(uow, deps, [joining, Heard])
    return World(store, uow, bus, updates, messenger, config, heard)


@pytest.fixture
def world(tmp_path: Path) -> World:
    return build(tmp_path)


# --- the Join button ------------------------------------------------------------------------
def test_the_join_button_joins_marks_the_post_queues_the_notices_and_says_so_once(
    world: World,
) -> None:
    project = world.post("Hindi RoBERTa")
    outcome = world.bus.handle(JoinTeam("U1", project.id, time.time()))
    assert outcome.ok and outcome.said is None  # the notice tells the person their place
    assert world.members(project) == ["U0PROP", "U1"]
    assert world.updates.posts == [project.id]
    [changed] = world.heard
    assert changed.proposal_id == project.id and changed.joined == ("U1",)
    assert changed.people == frozenset({"U1"}) and not changed.official
    queued = {(n.user_id, n.kind): n.detail for n in world.queued()}
    assert queued == {
        ("U1", PLACE): {"reason": "joined"},
        ("U0PROP", NEWS): {"joined": ["U1"], "left": []},
    }


def test_clicking_join_again_changes_nothing_and_says_nothing_new(world: World) -> None:
    project = world.post("Hindi RoBERTa")
    at = time.time()
    world.bus.handle(JoinTeam("U1", project.id, at))
    world.queued()
    again = world.bus.handle(JoinTeam("U1", project.id, at + 1))
    assert again.ok and world.members(project) == ["U0PROP", "U1"]
    assert len(world.heard) == 1 and world.queued() == []


def test_the_proposer_cannot_join_their_own_project(world: World) -> None:
    project = world.post("Hindi RoBERTa")
    outcome = world.bus.handle(JoinTeam("U0PROP", project.id, time.time()))
    assert not outcome.ok and outcome.said.answer is Answer.OWN_PROJECT
    assert world.heard == [] and world.updates.posts == []


def test_a_withdrawn_or_unknown_project_takes_no_members(world: World) -> None:
    project = world.post("Hindi RoBERTa")
    world.uow.proposals.set_status(project.id, Status.WITHDRAWN)
    for pid in (project.id, 999):
        outcome = world.bus.handle(JoinTeam("U1", pid, time.time()))
        assert not outcome.ok and outcome.said.answer is Answer.NO_LONGER_TAKES
    assert world.heard == []


# --- reactions ----------------------------------------------------------------------------
def test_a_reaction_joins_and_taking_it_off_leaves(world: World) -> None:
    project = world.post("Hindi RoBERTa")
    world.bus.handle(ApplyReactions((world.react(project, "U1"),)))
    assert world.members(project) == ["U0PROP", "U1"]
    world.bus.handle(ApplyReactions((world.react(project, "U1", added=False),)))
    assert world.members(project) == ["U0PROP"]
    assert [(e.joined, e.left) for e in world.heard] == [(("U1",), ()), ((), ("U1",))]
    assert world.updates.posts == [project.id, project.id]


def test_a_second_batch_repeating_a_reaction_changes_only_what_is_new(world: World) -> None:
    project, other = world.post("Hindi RoBERTa"), world.post("Bengali GPT2")
    at = time.time()
    first = (world.react(project, "U1", at=at), world.react(other, "U2", at=at))
    world.bus.handle(ApplyReactions(first))
    assert len(world.heard) == 2
    # Slack delivered the U1 event twice; U3 is new.
    world.bus.handle(ApplyReactions((first[0], world.react(project, "U3", at=at + 1))))
    assert world.members(project) == ["U0PROP", "U1", "U3"]
    assert world.members(other) == ["U0PROP", "U2"]
    assert [e.joined for e in world.heard] == [("U1",), ("U2",), ("U3",)]


def test_a_reaction_on_some_other_message_is_ignored(world: World) -> None:
    world.post("Hindi RoBERTa")
    stray = ReactionSignal("1699999999.000001", "U1", EMOJI, True, time.time())
    world.bus.handle(ApplyReactions((stray,)))
    assert world.heard == [] and world.updates.posts == []


def test_a_reaction_while_a_post_is_being_recorded_is_tried_again_whole(world: World) -> None:
    project = world.post("Hindi RoBERTa")
    draft = Draft(answers={"name": "Tamil T5"}, languages=["english"])
    posting, _ = world.uow.proposals.create(draft, "U0PROP", submission_key="k-posting")
    assert world.uow.proposals.claim_for_posting(posting.id) is not None
    # Slack stored the new post, and U2 reacted to it, before its ts was recorded.
    early = ReactionSignal("1700000099.000001", "U2", EMOJI, True, time.time())
    with pytest.raises(PostNotRecordedYet):
        world.bus.handle(ApplyReactions((world.react(project, "U1"), early)))
    assert world.members(project) == ["U0PROP"]  # nothing of the batch is kept
    assert world.heard == [] and world.queued() == []


def test_the_waitlist_takes_who_comes_after_the_team_is_full(world: World) -> None:
    project = world.post("Hindi RoBERTa")
    at = time.time()
    joins = tuple(world.react(project, u, at=at + n) for n, u in enumerate(["U1", "U2", "U3"]))
    world.bus.handle(ApplyReactions(joins))
    world.queued()
    world.bus.handle(ApplyReactions((world.react(project, "U4", at=at + 10),)))
    assert world.members(project) == ["U0PROP", "U1", "U2", "U3"]
    assert world.waitlist(project) == ["U4"]
    last = world.heard[-1]
    assert last.joined == () and last.waitlist_changed and last.alerts_claimed
    assert [(n.user_id, n.detail) for n in world.queued() if n.kind == PLACE] == [
        ("U4", {"reason": "waitlisted"})
    ]
    # One leaves: the first who waited moves up, and is told so.
    world.bus.handle(ApplyReactions((world.react(project, "U2", added=False, at=at + 11),)))
    assert world.members(project) == ["U0PROP", "U1", "U3", "U4"] and world.waitlist(project) == []
    assert world.heard[-1].joined == ("U4",) and world.heard[-1].left == ("U2",)
    assert ("U4", {"reason": "promoted"}) in [
        (n.user_id, n.detail) for n in world.queued() if n.kind == PLACE
    ]


# --- official teams: a request ------------------------------------------------------------
def test_joining_an_official_team_is_a_request_each_organizer_hears_once(world: World) -> None:
    project = world.official(world.post("Hindi RoBERTa"))
    asked = world.bus.handle(JoinTeam("U1", project.id, time.time()))
    assert asked.ok and asked.said.answer is Answer.ASKED
    requests = [n for n in world.queued() if n.kind == JOIN_REQUEST]
    assert sorted(n.user_id for n in requests) == sorted(ORGS)
    assert all(n.detail == {"about": "U1"} for n in requests)
    again = world.bus.handle(JoinTeam("U1", project.id, time.time()))
    assert again.said.answer is Answer.ALREADY_ASKED
    # Reacting asks too, and is the same request.
    world.bus.handle(ApplyReactions((world.react(project, "U1"),)))
    assert world.queued() == []
    assert world.members(project) == ["U0PROP"] and world.heard == []


def test_the_first_decision_wins_and_every_copy_shows_it(world: World) -> None:
    project = world.official(world.post("Hindi RoBERTa"))
    world.bus.handle(JoinTeam("U1", project.id, time.time()))
    outbox: Notices = world.uow.notices
    copies = {ORGS[0]: world.ts(100), ORGS[1]: world.ts(101)}
    for notice in world.queued():
        outbox.sent([notice.id], channel=f"D{notice.user_id}", ts=copies[notice.user_id])
    world.messenger.refuse.add(f"D{ORGS[1]}")  # Slack refuses one update: logged, not raised
    assert join_requests.decide(world.uow, project, "U1", ORGS[0], "declined")
    assert not join_requests.decide(world.uow, project, "U1", ORGS[1], "approved")
    assert join_requests.decision(world.uow, project.id, "U1") == ("declined", ORGS[0])
    join_requests.refresh_copies(world.uow, world.messenger, project, "U1")
    [update] = [s for s in world.messenger.sent if s.kind == "update"]
    assert update.to == f"D{ORGS[0]}" and update.ts == copies[ORGS[0]]
    assert "Declined by <@U0ORG1>" in json.dumps(update.blocks)


# --- after TEAMS_CLOSE_AT -----------------------------------------------------------------
def test_teams_close_to_joiners_but_not_to_leavers(tmp_path: Path) -> None:
    closed_at = datetime.now(timezone.utc) - timedelta(hours=1)
    world = build(tmp_path, TEAMS_CLOSE_AT=closed_at.isoformat())
    project = world.post("Hindi RoBERTa")
    before = closed_at.timestamp() - 60  # Slack's time of a reaction made before the close
    world.bus.handle(ApplyReactions((world.react(project, "U1", at=before),)))
    refused = world.bus.handle(JoinTeam("U2", project.id, time.time()))
    assert not refused.ok and refused.said.answer is Answer.TEAMS_CLOSED
    world.bus.handle(ApplyReactions((world.react(project, "U3"),)))
    assert world.members(project) == ["U0PROP", "U1"]
    world.bus.handle(ApplyReactions((world.react(project, "U1", added=False),)))
    assert world.members(project) == ["U0PROP"]


# --- TeamChanged: once per change, only after the commit ----------------------------------
def test_a_change_rolled_back_is_never_heard(world: World) -> None:
    project = world.post("Hindi RoBERTa")
    with world.uow:  # an outer use case that fails before its commit
        world.bus.handle(JoinTeam("U1", project.id, time.time()))
    assert world.members(project) == ["U0PROP"] and world.queued() == []
    world.bus.handle(JoinTeam("U2", project.id, time.time()))  # the next one hears only its own
    assert [e.joined for e in world.heard] == [("U2",)]


def test_a_change_inside_an_outer_unit_is_heard_after_that_one_commits(world: World) -> None:
    project = world.post("Hindi RoBERTa")
    with world.uow:
        world.bus.handle(JoinTeam("U1", project.id, time.time()))
        assert world.heard == []
        world.uow.commit()
    world.bus.publish_committed()
    assert [e.joined for e in world.heard] == [("U1",)]


@dataclass
class Listening:
    """What the reaction listener reads of the runtime (the stored payload's parsing and the
    bus): a hand-written stand-in, so the worker's path runs without Slack."""

    bus: MessageBus
    settings: Settings
    channel_id: str = CHANNEL
    bot_user_id: str = BOT

    @property
    def join_emoji(self) -> list[str]:
        return self.settings.JOIN_EMOJI


def _reaction(ts: str | None, user: str, n: int) -> dict[str, Any]:
    item = {"type": "message", "channel": CHANNEL, "ts": ts}
    event = {"type": "reaction_added", "user": user, "reaction": EMOJI, "item": item}
    return {"event": {**event, "event_ts": str(time.time() + n)}, "added": True}


@dataclass
class Lane:
    """The "events" lane over the world: the real Workers, and the reaction listener's
    deferred functions (single and batched), given the world's bus."""

    inbox: Inbox
    workers: Workers

    def works(self, bodies: list[dict[str, Any]]) -> list[Work]:
        out = []
        for n, body in enumerate(bodies):
            work_id = self.inbox.record(f"event:{n}", "reaction", "events", body)
            assert work_id is not None
            out.append(Work(work_id, "reaction", "events", body, None, 0, 0.0))
        return out

    def pending(self, works: list[Work]) -> list[bool]:
        return [self.inbox.get(w.id) is not None for w in works]


@pytest.fixture
def lane(world: World) -> Iterator[Lane]:
    rt = cast(Runtime, Listening(world.bus, world.settings))
    inbox = Inbox(world.store)
    workers = Workers(
        inbox,
        {"reaction": ("events", lambda body: reactions.apply_reaction(rt, body))},
        retryable=(OSError,),
        on_failure=lambda work, exc: None,
        batches={"reaction": lambda bodies: reactions.apply_batch(rt, bodies)},
        uow=world.uow,
    )
    yield Lane(inbox, workers)
    inbox.close()


def test_a_batch_is_marked_done_and_heard_after_the_worker_commits(
    world: World, lane: Lane
) -> None:
    project = world.post("Hindi RoBERTa")
    works = lane.works([_reaction(project.ts, u, n) for n, u in enumerate(["U1", "U2", "U3"])])
    pending_when_heard: list[list[bool]] = []
    world.bus.event_handlers[TeamChanged].append(
        lambda event: pending_when_heard.append(lane.pending(works))
    )
    lane.workers.run_batch(works)
    assert world.members(project) == ["U0PROP", "U1", "U2", "U3"]
    assert [e.joined for e in world.heard] == [("U1",), ("U2",), ("U3",)]
    # Each heard with no transaction open (World's `hear`) and the rows committed as done.
    assert pending_when_heard == [[False] * 3] * 3
    assert lane.workers.stats["batches"] == 1


def test_a_batch_that_fails_is_heard_only_as_its_pieces_done_alone(
    world: World, lane: Lane
) -> None:
    project = world.post("Hindi RoBERTa")
    draft = Draft(answers={"name": "Tamil T5"}, languages=["english"])
    posting, _ = world.uow.proposals.create(draft, "U0PROP", submission_key="k-posting")
    assert world.uow.proposals.claim_for_posting(posting.id) is not None
    works = lane.works([_reaction(project.ts, "U1", 0), _reaction("1700000099.000001", "U2", 1)])
    lane.workers.run_batch(works)
    # The batch was rolled back whole (its TeamChanged with it); each piece was then done on
    # its own: U1's join is heard once, U2's waits for the post's ts (tried again later).
    assert world.members(project) == ["U0PROP", "U1"]
    assert [e.joined for e in world.heard] == [("U1",)]
    assert lane.pending(works) == [False, True]
    assert lane.workers.stats["retry"] == 1 and lane.workers.stats["batches"] == 0

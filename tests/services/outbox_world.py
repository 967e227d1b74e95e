"""A week in memory for the fast tests of what the bot sends on its own (alerts, notices, the
deadlines' summary, the apologies): a real unit of work on a migrated database, the bus wired
as the bootstrap wires it, FakeMessenger and FakeUpdates. Teams are made with JoinTeam, as the
Join button makes them."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slackbot import bootstrap
from slackbot.config import Settings
from slackbot.domain.proposal import Proposal, Status
from slackbot.domain.validation import Draft
from slackbot.services import alerting, deadlines, joining, replies, slack_access
from slackbot.services.joining import JoinTeam
from slackbot.services.messagebus import MessageBus
from slackbot.store.db import Store
from slackbot.store.proposal_repository import Proposals
from slackbot.store.standing_columns import StandingColumns
from slackbot.store.unit_of_work import UnitOfWork
from tests.fakes import FakeMessenger, FakeUpdates

CHANNEL = "C0PROPOSALS"
BOT = "UBOT"
ORGS = ("U0ORG1", "U0ORG2")


@dataclass
class FakeOrganizers:
    ids: tuple[str, ...] = ORGS

    def everyone(self) -> set[str]:
        return set(self.ids)

    def alert_targets(self) -> list[str]:
        return list(self.ids)

    def is_organizer(self, user: str) -> bool:
        return user in self.ids


@dataclass
class World:
    store: Store
    uow: UnitOfWork
    bus: MessageBus
    updates: FakeUpdates
    messenger: FakeMessenger
    settings: Settings
    organizers: FakeOrganizers
    posted: int = 0

    def post(self, name: str, proposer: str = "U0PROP") -> Proposal:
        """A proposal posted in the proposals channel (its ts and permalink recorded)."""
        proposals: Proposals = self.uow.proposals
        draft = Draft(answers={"name": name}, languages=["english"])
        created, _ = proposals.create(draft, proposer, submission_key=f"k-{name}")
        assert proposals.claim_for_posting(created.id) is not None
        self.posted += 1
        posted, _ = proposals.mark_posted(
            created.id,
            channel=CHANNEL,
            ts=f"1700000000.{self.posted:06d}",
            permalink=f"https://x/{self.posted}",
        )
        return posted

    def join(self, proposal: Proposal, *users: str) -> None:
        for user in users:
            assert self.bus.handle(JoinTeam(user, proposal.id, time.time())).ok

    def official(self, proposal: Proposal) -> None:
        with self.uow:
            team = self.uow.memberships.team(proposal)
            self.uow.memberships.record_official(proposal, team, ORGS[0])
            self.uow.proposals.set_status(proposal.id, Status.OFFICIAL)
            self.uow.commit()

    def get(self, proposal_id: int) -> Proposal:
        found: Proposal = self.uow.proposals.get(proposal_id)
        return found

    def dms(self, user: str) -> list[str]:
        return [s.text for s in self.messenger.to(user, "dm")]


def build(tmp_path: Path, **settings: Any) -> World:
    store = Store(tmp_path / "week.db")
    store.migrate()
    standings = StandingColumns(store, default_threshold=3, default_max=4)
    uow = bootstrap.unit_of_work(store, standings)
    config = Settings(
        _env_file=None, SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET="s", **settings
    )  # type: ignore[call-arg]
    updates, messenger, organizers = FakeUpdates(), FakeMessenger(), FakeOrganizers()
    deps = {
        "uow": uow,
        "settings": config,
        "organizers": organizers,
        "updates": updates,
        "messenger": messenger,
        "channel_id": CHANNEL,
        "bot_user_id": BOT,
    }
    bus = bootstrap.wire(uow, deps, [joining, alerting, deadlines, slack_access, replies])
    return World(store, uow, bus, updates, messenger, config, organizers)

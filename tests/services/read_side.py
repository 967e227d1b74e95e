"""A week for the read side's fast tests (Home tabs, the dashboard, the digest, the export,
the people directory, changes made in Slack): a real unit of work on a migrated database with
the repositories the bootstrap gives it, the bus wired the bootstrap's way over the read side's
modules, FakeMessenger and FakeUpdates."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slackbot import bootstrap
from slackbot.blocks.proposal_form import Week
from slackbot.config import Settings
from slackbot.domain.proposal import Proposal, Status
from slackbot.domain.teams import BUTTON, Signal
from slackbot.domain.validation import Draft
from slackbot.services import digest_posting, home_pages, workspace_changes
from slackbot.services.hub_checks import HubChecks
from slackbot.services.messagebus import MessageBus
from slackbot.slack.organizer_directory import Organizers
from slackbot.store.db import Store
from slackbot.store.hub_answers import HubAnswers
from slackbot.store.proposal_repository import Proposals
from slackbot.store.standing_columns import StandingColumns
from slackbot.store.unit_of_work import UnitOfWork
from tests.fakes import FakeMessenger, FakeUpdates

CHANNEL = "C0PROPOSALS"
BOT = "UBOT"
ORG = "U0ORG1"
DEADLINES = ["Proposals close in 2 days 3 h"]


@dataclass
class World:
    store: Store
    uow: UnitOfWork
    bus: MessageBus
    messenger: FakeMessenger
    updates: FakeUpdates
    settings: Settings
    organizers: Organizers
    deps: dict[str, Any]
    posted: int = 0

    def post(self, name: str, proposer: str = "U0PROP", **answers: str) -> Proposal:
        """A proposal posted in the proposals channel."""
        proposals: Proposals = self.uow.proposals
        draft = Draft(answers={"name": name, **answers}, languages=["english"])
        created, _ = proposals.create(draft, proposer, submission_key=f"k-{name}")
        assert proposals.claim_for_posting(created.id) is not None
        self.posted += 1
        posted, _ = proposals.mark_posted(
            created.id,
            channel=CHANNEL,
            ts=f"1700000000.{self.posted:06d}",
            permalink=f"https://x/p{created.id}",
        )
        return posted

    def join(self, proposal: Proposal, *users: str) -> None:
        start = time.time() - 60  # in the past: a leave "now" comes after these joins
        with self.uow:
            for n, user in enumerate(users):
                self.uow.memberships.apply(proposal, Signal(user, BUTTON, True, start + n))
            self.uow.commit()

    def official(self, proposal: Proposal, channel: str | None = None) -> Proposal:
        with self.uow:
            team = self.uow.memberships.team(proposal)
            self.uow.memberships.record_official(proposal, team, ORG)
            self.uow.proposals.set_status(proposal.id, Status.OFFICIAL)
            if channel:
                self.uow.memberships.set_team_channel(proposal.id, channel, channel.lower())
            self.uow.commit()
        found: Proposal = self.uow.proposals.get(proposal.id)
        return found

    def team(self, proposal: Proposal) -> list[str]:
        return list(self.uow.memberships.team(self.uow.proposals.get(proposal.id)).members)


def build(tmp_path: Path, **settings: Any) -> World:
    store = Store(tmp_path / "week.db")
    store.migrate()
    config = Settings(
        _env_file=None, SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET="s", **settings
    )  # type: ignore[call-arg]
    standings = StandingColumns(
        store, default_threshold=config.TEAM_SIZE_THRESHOLD, default_max=config.TEAM_SIZE_MAX
    )
    uow = bootstrap.unit_of_work(store, standings)
    messenger, updates = FakeMessenger(), FakeUpdates()
    organizers = Organizers([ORG], None, None, BOT)  # type: ignore[arg-type]
    deps: dict[str, Any] = {
        "uow": uow,
        "messenger": messenger,
        "settings": config,
        "organizers": organizers,
        "judges": Organizers([], None, None, BOT),  # type: ignore[arg-type]
        "hub": HubChecks(None, HubAnswers(store), time_box=0.1),
        "bot_user_id": BOT,
        "channel_id": CHANNEL,
        "updates": updates,
        "time_left": lambda: list(DEADLINES),
        "week": lambda: Week(channel_id=CHANNEL),
    }
    deps["home"] = home_pages.HomeReads(
        uow,
        config,
        organizers,
        deps["judges"],
        deps["hub"],
        BOT,
        time_left=deps["time_left"],
        week=deps["week"],
    )
    bus = bootstrap.wire(uow, deps, [home_pages, digest_posting, workspace_changes])
    return World(store, uow, bus, messenger, updates, config, organizers, deps)

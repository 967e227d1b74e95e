"""What the services need at run time: the settings, the workspace's identity, the Slack
clients and budgets, the repositories, and the background parts (built and wired by
`slackbot.bootstrap`, the one place that constructs them). A container, nothing more."""

from __future__ import annotations

from dataclasses import dataclass, field

from slackbot.config import Settings
from slackbot.machinery.refresher import Refresher
from slackbot.machinery.workers import Workers
from slackbot.services.hub_checks import HubChecks
from slackbot.services.messagebus import MessageBus
from slackbot.services.ports import Messenger
from slackbot.slack.budgets import BudgetedClient
from slackbot.slack.organizer_directory import Organizers
from slackbot.store.audit_log import Audit
from slackbot.store.db import Store
from slackbot.store.digest_runs import DigestRuns
from slackbot.store.home_visitors import HomeVisitors
from slackbot.store.inbox import Inbox
from slackbot.store.job_leases import JobLeases
from slackbot.store.membership_repository import Memberships
from slackbot.store.people import People
from slackbot.store.proposal_repository import Proposals
from slackbot.store.ranking_queries import Rankings
from slackbot.store.search_index import SearchIndex
from slackbot.store.unit_of_work import UnitOfWork


@dataclass
class Runtime:
    settings: Settings
    store: Store
    client: BudgetedClient  # background work: waits for its budget, retries 429s and 5xx
    ui_client: BudgetedClient  # inside a trigger's 3 seconds: never waits, never retries
    bot_user_id: str
    bot_id: str
    channel_id: str  # the proposals channel
    team_url: str  # the workspace's URL, for permalinks
    organizers: Organizers
    proposals: Proposals
    memberships: Memberships
    rankings: Rankings
    audit: Audit
    inbox: Inbox
    search: SearchIndex
    visitors: HomeVisitors
    digest_runs: DigestRuns
    leases: JobLeases  # one process at a time runs each scheduled job
    people: People  # names, the channel's members, one-off events
    messenger: Messenger  # the use cases' Slack: post, update, dm, budgets
    uow: UnitOfWork  # owns each use case's transaction and the events it raised
    hub: HubChecks  # what the Hugging Face Hub says of the models and datasets named
    # Given functions of the services that take this runtime, so set just after it is built.
    updates: Refresher = field(init=False)
    workers: Workers = field(init=False)
    bus: MessageBus = field(init=False)  # commands to their handler, events to theirs
    judges: Organizers = field(init=False)  # the jury (JUDGE_IDS, JUDGES_CHANNEL)

    @property
    def join_emoji(self) -> list[str]:
        return self.settings.JOIN_EMOJI

    def is_organizer(self, user_id: str) -> bool:
        return self.organizers.is_organizer(user_id)

    def start(self) -> None:
        self.updates.start()
        self.workers.start()

    def close(self, *, drain: float = 0.0) -> None:
        """Stop the background work; with `drain`, first finish what can be within about that
        many seconds each (queued work, marked rosters). What is left stays in the database."""
        self.client.stop_waiting()
        if hasattr(self, "workers"):
            self.workers.stop(timeout=drain)
        if hasattr(self, "updates"):
            self.updates.stop(drain=drain)
        self.hub.close()
        self.inbox.close()
        self.store.close()

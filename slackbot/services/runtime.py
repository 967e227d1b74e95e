"""What a running bot is made of, once `slackbot.bootstrap` has built it (the one place that
constructs anything): the settings, who the bot is, the Slack clients, the unit of work that
holds the repositories, the message bus the listeners and jobs hand their commands to, and the
background parts. Built in one step; nothing in it is set afterwards.

The use cases never see it: each handler names what it needs and the bootstrap gives exactly
that. The listeners, the jobs and the CLI hold it to reach the bus."""

from __future__ import annotations

from dataclasses import dataclass

from slackbot.config import Settings
from slackbot.machinery.refresher import Refresher
from slackbot.machinery.workers import Workers
from slackbot.services.hub_checks import HubChecks
from slackbot.services.messagebus import MessageBus
from slackbot.services.ports import Messenger
from slackbot.slack.budgets import BudgetedClient
from slackbot.slack.organizer_directory import Organizers
from slackbot.store.db import Store
from slackbot.store.inbox import Inbox
from slackbot.store.job_leases import JobLeases
from slackbot.store.unit_of_work import UnitOfWork


@dataclass(frozen=True)
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
    judges: Organizers  # the jury (JUDGE_IDS, JUDGES_CHANNEL)
    inbox: Inbox  # deferred work, recorded before the ack
    leases: JobLeases  # one process at a time runs each scheduled job
    messenger: Messenger  # the use cases' Slack: post, update, dm, budgets
    uow: UnitOfWork  # owns each use case's transaction and the events it raised
    hub: HubChecks  # what the Hugging Face Hub says of the models and datasets named
    updates: Refresher  # roster redraws, notices, Home tabs, alerts, in the background
    bus: MessageBus  # commands to their handler, events to theirs
    workers: Workers  # the deferred work's lanes

    def start(self) -> None:
        self.updates.start()
        self.workers.start()

    def close(self, *, drain: float = 0.0) -> None:
        """Stop the background work; with `drain`, first finish what can be within about that
        many seconds each (queued work, marked rosters). What is left stays in the database."""
        self.client.stop_waiting()
        self.workers.stop(timeout=drain)
        self.updates.stop(drain=drain)
        self.hub.close()
        self.inbox.close()
        self.store.close()

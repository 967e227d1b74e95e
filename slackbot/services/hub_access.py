"""Hub access for official teams: each member gives their Hugging Face username once (and may
change it); the organizers get the list to invite (`slackbot export --hub-invites`) and can
remind the members who gave none, one DM each, at most once a day per person, within
chat.postMessage's budget."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from slackbot.blocks.compute import hub_reminder
from slackbot.config import Settings
from slackbot.domain.compute import hub_username
from slackbot.domain.events import HubUsernameGiven
from slackbot.machinery.refresher import Refresher
from slackbot.services.compute import Refused
from slackbot.services.directory import Organizers
from slackbot.services.outcome import require_organizer
from slackbot.services.ports import Messenger
from slackbot.store.unit_of_work import UnitOfWork

log = logging.getLogger("slackbot.hub")

REMIND_EVERY = 24 * 3600.0


@dataclass(frozen=True)
class SetHubUsername:
    user: str
    raw: str


@dataclass(frozen=True)
class HubUsernameOf:
    user: str


@dataclass(frozen=True)
class RemindHubUsernames:
    organizer: str


@dataclass(frozen=True)
class HubSaved:
    username: str
    before: str | None


@dataclass(frozen=True)
class Reminded:
    sent: int
    recently: int  # reminded less than a day ago: not again
    later: int  # over Slack's budget now: press again in a minute


def set_username(cmd: SetHubUsername, uow: UnitOfWork) -> HubSaved | Refused:
    try:
        username = hub_username(cmd.raw)
    except ValueError as bad:
        return Refused("bad_username", problems=(str(bad),))
    with uow:
        before = uow.hub.give(cmd.user, username)
        uow.emit(HubUsernameGiven(cmd.user))
        uow.commit()
    log.info("hub_username_given user=%s", cmd.user)
    return HubSaved(username, before)


def username_of(cmd: HubUsernameOf, uow: UnitOfWork) -> str | None:
    return uow.hub.of([cmd.user]).get(cmd.user)


def official_members(uow: UnitOfWork) -> list[str]:
    """Every member of an official team, in a stable order."""
    return sorted(uow.memberships.official_members())


def missing(uow: UnitOfWork) -> list[str]:
    """Official members who gave no Hub username yet."""
    members = official_members(uow)
    known = uow.hub.of(members)
    return [u for u in members if u not in known]


def invites(uow: UnitOfWork) -> list[str]:
    """The usernames to invite: every official member who gave one, one each, sorted."""
    return sorted(set(uow.hub.of(official_members(uow)).values()), key=str.lower)


def remind(
    cmd: RemindHubUsernames,
    uow: UnitOfWork,
    messenger: Messenger,
    organizers: Organizers,
    settings: Settings,
) -> Reminded | Refused:
    if require_organizer(organizers, cmd.organizer, "hub_remind"):
        return Refused("not_organizer")
    since = time.time() - REMIND_EVERY
    sent = recently = later = 0
    text, blocks = hub_reminder(settings.HUB_ORG)
    for user in missing(uow):
        with uow.writing():
            claimed = uow.hub.claim_reminder(user, since)
        if not claimed:
            recently += 1
            continue
        # Each DM is its own channel's post: asked for that channel (without one, every
        # reminder would share one made-up channel's 3 posts in 3 seconds).
        if not messenger.may_send("chat.postMessage", user):
            with uow.writing():
                uow.hub.release_reminder(user)
            later += 1
            continue
        if messenger.dm(user, text, blocks) is None:
            with uow.writing():
                uow.hub.release_reminder(user)
            later += 1
            continue
        sent += 1
    log.info(
        "hub_reminders by=%s sent=%s recently=%s later=%s", cmd.organizer, sent, recently, later
    )
    return Reminded(sent, recently, later)


def refresh_homes(event: HubUsernameGiven, organizers: Organizers, updates: Refresher) -> None:
    updates.mark_homes(organizers.everyone() | {event.user})


COMMANDS = {
    SetHubUsername: set_username,
    HubUsernameOf: username_of,
    RemindHubUsernames: remind,
}
EVENTS = {HubUsernameGiven: [refresh_homes]}

"""Names and the channel's members, for organizers: display names read with users.info and
cached in the database with their age; the proposals channel's members read page by page with
conversations.members. Both run as scheduled jobs, a batch at a time within the methods'
tiers (the budget is asked first, never waited for: what does not fit now is read at the next
run)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from slackbot.services import dashboard
from slackbot.services.ports import Messenger
from slackbot.store.unit_of_work import UnitOfWork

log = logging.getLogger("slackbot.people")

NAME_MAX_AGE = 7 * 24 * 3600.0  # a display name is read again after a week
NAMES_PER_RUN = 60  # a run a minute: 60 of users.info's ~100 a minute (Tier 4)
MEMBERS_EVERY = 600.0  # the channel's member list is read again after 10 minutes
MEMBERS_PAGE = 500


def display_name(user: dict[str, Any]) -> str:
    profile = user.get("profile") or {}
    for candidate in (
        profile.get("display_name"),
        profile.get("real_name"),
        user.get("real_name"),
        user.get("name"),
    ):
        if isinstance(candidate, str) and candidate.strip():
            return candidate.strip()
    return str(user.get("id") or "")


def read_names(uow: UnitOfWork, messenger: Messenger, limit: int = NAMES_PER_RUN) -> int:
    """Read the names of up to `limit` people whose name is unknown or old; returns how many."""
    read = 0
    for user_id in uow.people.stale(time.time() - NAME_MAX_AGE, limit):
        if not messenger.may_send("users.info"):
            break  # the budget is spent for now: the next run goes on
        user, error = messenger.user_info(user_id)
        if user is None:
            if error == "user_not_found":
                with uow.writing():
                    uow.people.remember(user_id, user_id, deleted=True)
                continue
            log.warning("name_not_read user=%s error=%s", user_id, error)
            break
        with uow.writing():
            uow.people.remember(
                user_id,
                display_name(user),
                is_bot=bool(user.get("is_bot")) or user_id == "USLACKBOT",
                deleted=bool(user.get("deleted")),
            )
        read += 1
    if read:
        log.info("names_read count=%s", read)
    return read


def read_channel_members(
    uow: UnitOfWork, messenger: Messenger, channel_id: str, *, force: bool = False
) -> int | None:
    """Read the proposals channel's members (every page) if the copy is older than
    MEMBERS_EVERY; returns how many, or None if not read now."""
    synced = uow.people.channel_synced_at()
    if not force and synced is not None and time.time() - synced < MEMBERS_EVERY:
        return None
    members: list[str] = []
    cursor = ""
    while True:
        if not messenger.may_send("conversations.members"):
            return None  # try again at the next run, from the start
        page = messenger.channel_members(channel_id, cursor or None, MEMBERS_PAGE)
        if page is None:
            return None
        members += page[0]
        cursor = page[1]
        if not cursor:
            break
    with uow.writing():
        uow.people.set_channel_members(members)
    log.info("channel_members_read count=%s", len(members))
    return len(members)


def keep_directory(uow: UnitOfWork, messenger: Messenger, channel_id: str) -> None:
    """The scheduled job: the channel's members when due, then a batch of names."""
    if read_channel_members(uow, messenger, channel_id) is not None:
        dashboard.forget(uow)  # the dashboard counts the channel's members afresh
    read_names(uow, messenger)


@dataclass(frozen=True)
class KeepDirectory:
    """The scheduled job (also run by the demo): members when due, then a batch of names."""


@dataclass(frozen=True)
class ReadNames:
    limit: int = NAMES_PER_RUN


def keep(cmd: KeepDirectory, uow: UnitOfWork, messenger: Messenger, channel_id: str) -> None:
    keep_directory(uow, messenger, channel_id)


def names(cmd: ReadNames, uow: UnitOfWork, messenger: Messenger) -> int:
    return read_names(uow, messenger, cmd.limit)


COMMANDS = {KeepDirectory: keep, ReadNames: names}

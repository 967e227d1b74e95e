"""Names and the channel's members, for organizers: display names read with users.info and
cached in the database with their age; the proposals channel's members read page by page with
conversations.members. Both run as scheduled jobs, a batch at a time within the methods'
tiers (try_spend never waits: what does not fit now is read at the next run)."""

from __future__ import annotations

import logging
import time
from typing import Any

from slack_sdk.errors import SlackApiError

from slackbot.services import dashboard
from slackbot.services.runtime import Runtime

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


def refresh_names(rt: Runtime, limit: int = NAMES_PER_RUN) -> int:
    """Read the names of up to `limit` people whose name is unknown or old; returns how many."""
    read = 0
    for user_id in rt.people.stale(time.time() - NAME_MAX_AGE, limit):
        if not rt.client.try_spend("users.info"):
            break  # the budget is spent for now: the next run goes on
        try:
            user = rt.client.users_info(user=user_id)["user"]
        except SlackApiError as exc:
            if exc.response.get("error") == "user_not_found":
                with rt.uow.writing():
                    rt.uow.people.remember(user_id, user_id, deleted=True)
                continue
            log.warning("name_not_read user=%s error=%s", user_id, exc.response.get("error"))
            break
        except OSError as exc:
            log.warning("name_not_read user=%s error=%s", user_id, exc)
            break
        with rt.uow.writing():
            rt.uow.people.remember(
                user_id,
                display_name(user),
                is_bot=bool(user.get("is_bot")) or user_id == "USLACKBOT",
                deleted=bool(user.get("deleted")),
            )
        read += 1
    if read:
        log.info("names_read count=%s", read)
    return read


def sync_channel_members(rt: Runtime, *, force: bool = False) -> int | None:
    """Read the proposals channel's members (every page) if the copy is older than
    MEMBERS_EVERY; returns how many, or None if not read now."""
    synced = rt.people.channel_synced_at()
    if not force and synced is not None and time.time() - synced < MEMBERS_EVERY:
        return None
    members: list[str] = []
    cursor = ""
    while True:
        if not rt.client.try_spend("conversations.members"):
            return None  # try again at the next run, from the start
        try:
            page = rt.client.conversations_members(
                channel=rt.channel_id, limit=MEMBERS_PAGE, cursor=cursor or None
            )
        except (SlackApiError, OSError) as exc:
            log.warning("channel_members_not_read error=%s", exc)
            return None
        members += [str(m) for m in page.get("members") or []]
        cursor = str((page.get("response_metadata") or {}).get("next_cursor") or "")
        if not cursor:
            break
    with rt.uow.writing():
        rt.uow.people.set_channel_members(members)
    log.info("channel_members_read count=%s", len(members))
    return len(members)


def directory_job(rt: Runtime) -> None:
    if sync_channel_members(rt) is not None:
        dashboard.forget(rt)  # the dashboard counts the channel's members afresh
    refresh_names(rt)

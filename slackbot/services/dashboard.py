"""The organizers' dashboard: the week at a glance, from the database and the cached member
list of the proposals channel (no Slack call while building it)."""

from __future__ import annotations

import threading
import time
import weakref
from typing import cast

from slackbot.config import Settings
from slackbot.domain.dashboard import LIST_PAGE, Dashboard, DashboardFacts
from slackbot.services.directory import OrganizerDirectory
from slackbot.store.dashboard_queries import DashboardQueries
from slackbot.store.db import Store
from slackbot.store.unit_of_work import UnitOfWork

FRESH_FOR = 30.0  # the facts are read again after this many seconds
# Per database (the Store object, weakly: a closed runtime's entry goes with it).
_cache: weakref.WeakKeyDictionary[Store, tuple[float, DashboardFacts]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def facts(
    uow: UnitOfWork,
    settings: Settings,
    organizers: OrganizerDirectory,
    bot_user_id: str,
    *,
    now: float | None = None,
) -> DashboardFacts:
    """The week's numbers, read at most every FRESH_FOR seconds per process: each change of a
    team refreshes the organizers' Home tabs, and with 100,000 proposals a read costs about
    half a second; numbers 30 s old read the same to an organizer."""
    now = time.monotonic() if now is None else now
    key = uow.store
    with _lock:
        cached = _cache.get(key)
        if cached is not None and now - cached[0] < FRESH_FOR:
            return cached[1]
    read = cast(DashboardQueries, uow.dashboard).facts(
        default_max=settings.TEAM_SIZE_MAX,
        stale_after=settings.STALE_DAYS * 86400,
        not_participants=bystanders(uow, organizers, bot_user_id),
    )
    with _lock:
        _cache[key] = (now, read)
    return read


def bystanders(uow: UnitOfWork, organizers: OrganizerDirectory, bot_user_id: str) -> set[str]:
    """Who is in the channel without taking part: bots (this one too) and the organizers."""
    return uow.people.bots() | {bot_user_id} | organizers.everyone()


def forget(uow: UnitOfWork) -> None:
    """Read the numbers again at the next build (tests, the demo)."""
    with _lock:
        _cache.pop(uow.store, None)


def build(
    uow: UnitOfWork,
    settings: Settings,
    organizers: OrganizerDirectory,
    bot_user_id: str,
    pages: dict[str, int] | None = None,
) -> Dashboard:
    pages = pages or {}
    facts_now = facts(uow, settings, organizers, bot_user_id)
    no_team = [u for u in facts_now.participants if u not in facts_now.teams_of]
    several = sorted(
        ((u, n) for u, n in facts_now.teams_of.items() if n > 1),
        key=lambda item: (-item[1], item[0]),
    )
    shown = _page(facts_now.oversubscribed, pages.get("oversubscribed", 0))
    shown += _page(facts_now.unjoined, pages.get("unjoined", 0))
    return Dashboard(
        facts=facts_now,
        in_a_team=len(facts_now.teams_of),
        no_team=no_team,
        several=several,
        projects=uow.proposals.get_many(shown),
        deadlines=[],
        gone=uow.proposals.gone_posts(),
    )


def _page(items: list[int], offset: int) -> list[int]:
    return items[offset : offset + LIST_PAGE]

"""The organizers' dashboard: the week at a glance, from the database and the cached member
list of the proposals channel (no Slack call while building it)."""

from __future__ import annotations

import threading
import time
import weakref
from typing import cast

from slackbot.domain.dashboard import LIST_PAGE, Dashboard, DashboardFacts
from slackbot.services.runtime import Runtime
from slackbot.store.dashboard_queries import DashboardQueries
from slackbot.store.db import Store

FRESH_FOR = 30.0  # the facts are read again after this many seconds
# Per database (the Store object, weakly: a closed runtime's entry goes with it).
_cache: weakref.WeakKeyDictionary[Store, tuple[float, DashboardFacts]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def facts(rt: Runtime, *, now: float | None = None) -> DashboardFacts:
    """The week's numbers, read at most every FRESH_FOR seconds per process: each change of a
    team refreshes the organizers' Home tabs, and with 100,000 proposals a read costs about
    half a second; numbers 30 s old read the same to an organizer."""
    now = time.monotonic() if now is None else now
    key = rt.store
    with _lock:
        cached = _cache.get(key)
        if cached is not None and now - cached[0] < FRESH_FOR:
            return cached[1]
    read = cast(DashboardQueries, rt.uow.dashboard).facts(
        default_max=rt.settings.TEAM_SIZE_MAX,
        stale_after=rt.settings.STALE_DAYS * 86400,
        not_participants=not_participants(rt),
    )
    with _lock:
        _cache[key] = (now, read)
    return read


def not_participants(rt: Runtime) -> set[str]:
    """Who is in the channel without taking part: bots (this one too) and the organizers."""
    return rt.people.bots() | {rt.bot_user_id} | rt.organizers.everyone()


def forget(rt: Runtime) -> None:
    """Read the numbers again at the next build (tests, the demo)."""
    with _lock:
        _cache.pop(rt.store, None)


def build(rt: Runtime, pages: dict[str, int] | None = None) -> Dashboard:
    pages = pages or {}
    facts_now = facts(rt)
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
        projects=rt.proposals.get_many(shown),
        deadlines=[],
        gone=rt.proposals.gone_posts(),
    )


def _page(items: list[int], offset: int) -> list[int]:
    return items[offset : offset + LIST_PAGE]

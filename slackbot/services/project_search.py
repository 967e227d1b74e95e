"""Finding projects: `/projects` lists what can be joined, `/projects words…` searches.

Search uses the full-text index (`store.search_index`); listing uses the rankings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from slackbot.domain.proposal import Proposal
from slackbot.domain.ranking import Standing
from slackbot.services.hub_checks import HubChecks
from slackbot.store.ranking_queries import Rankings
from slackbot.store.unit_of_work import UnitOfWork

PAGE_SIZE = 10


@dataclass(frozen=True)
class Page:
    standings: list[Standing]
    page: int
    pages: int
    total: int
    proposals: dict[int, Proposal] = field(default_factory=dict)
    hub: Any = None  # what the Hub's cache knows of their models (never asked here)


@dataclass(frozen=True)
class FindProjects:
    """A page of `/projects`: the joinable projects (no `text`), or those matching `text`."""

    text: str
    page: int = 0


def find_projects(cmd: FindProjects, uow: UnitOfWork, hub: HubChecks) -> Page:
    return search(uow, hub, cmd.text, cmd.page)


def search(uow: UnitOfWork, hub: HubChecks, text: str, page: int = 0) -> Page:
    rankings: Rankings = uow.rankings
    text = text.strip()
    if text:
        ids = uow.search.matching(text)
        by_id = {s.proposal_id: s for s in rankings.standings(ids)} if ids else {}
        ranked = [by_id[i] for i in ids if i in by_id]
        total = len(ranked)
    else:
        total = rankings.ranked_joinable(0)[1]
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    if text:
        shown = ranked[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    else:
        shown = rankings.ranked_joinable(PAGE_SIZE, page * PAGE_SIZE)[0]
    proposals = uow.proposals.get_many([s.proposal_id for s in shown])
    # the cache only: a page is an acknowledgement's body
    return Page(shown, page, pages, total, proposals, hub.known_of(proposals.values()))


COMMANDS = {FindProjects: find_projects}

"""Finding projects: `/projects` lists what can be joined, `/projects words…` searches.

Search uses the full-text index (`store.search_index`); listing uses the rankings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from slackbot.domain.proposal import Proposal
from slackbot.domain.ranking import Standing
from slackbot.services.runtime import Runtime

PAGE_SIZE = 10


@dataclass(frozen=True)
class Page:
    standings: list[Standing]
    page: int
    pages: int
    total: int
    proposals: dict[int, Proposal] = field(default_factory=dict)
    hub: Any = None  # what the Hub's cache knows of their models (never asked here)


def find(rt: Runtime, text: str, page: int = 0) -> Page:
    text = text.strip()
    if text:
        ids = rt.search.matching(text)
        by_id = {s.proposal_id: s for s in rt.rankings.standings(ids)} if ids else {}
        ranked = [by_id[i] for i in ids if i in by_id]
        total = len(ranked)
    else:
        total = rt.rankings.ranked_joinable(0)[1]
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    if text:
        shown = ranked[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    else:
        shown = rt.rankings.ranked_joinable(PAGE_SIZE, page * PAGE_SIZE)[0]
    proposals = rt.proposals.get_many([s.proposal_id for s in shown])
    # the cache only: a page is an acknowledgement's body
    return Page(shown, page, pages, total, proposals, rt.hub.known_of(proposals.values()))


def with_hub_facts(rt: Runtime, proposal_id: int) -> tuple[Proposal, Any] | None:
    """A proposal and what the Hub's cache knows of it (asking nothing), or None if gone."""
    proposal = rt.proposals.get(proposal_id)
    if proposal is None:
        return None
    return proposal, rt.hub.known_of([proposal])

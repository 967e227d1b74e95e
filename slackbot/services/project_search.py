"""Finding projects: `/projects` lists what can be joined, `/projects words…` searches.

Search uses the full-text index (`store.search_index`); listing uses the rankings.
"""

from __future__ import annotations

from dataclasses import dataclass

from slackbot.domain.ranking import Standing
from slackbot.services.runtime import Runtime

PAGE_SIZE = 10


@dataclass(frozen=True)
class Page:
    standings: list[Standing]
    page: int
    pages: int
    total: int


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
    return Page(shown, page, pages, total)

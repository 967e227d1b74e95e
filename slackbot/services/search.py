"""Finding projects: `/projects` lists what can be joined, `/projects words…` searches.

Search uses SQLite's FTS5 index over name, description, languages, model and datasets
(kept up to date by triggers), ranked by BM25.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from slackbot.domain.digest import Standing
from slackbot.runtime import Runtime

PAGE_SIZE = 10
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Page:
    standings: list[Standing]
    page: int
    pages: int
    total: int


def fts_query(text: str) -> str | None:
    """User words as a safe FTS5 query: every word must match (as a prefix); no operators."""
    words = _WORD.findall(text.lower())[:12]
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words)


def search_ids(rt: Runtime, text: str) -> list[int]:
    query = fts_query(text)
    if query is None:
        return []
    rows = rt.store.conn.execute(
        "SELECT rowid FROM proposals_fts WHERE proposals_fts MATCH ? ORDER BY rank LIMIT 500",
        (query,),
    ).fetchall()
    return [int(r[0]) for r in rows]


def find(rt: Runtime, text: str, page: int = 0) -> Page:
    text = text.strip()
    if text:
        ids = search_ids(rt, text)
        by_id = {s.proposal_id: s for s in rt.memberships.standings(ids)} if ids else {}
        ranked = [by_id[i] for i in ids if i in by_id]
        total = len(ranked)
    else:
        total = rt.memberships.ranked_joinable(0)[1]
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    if text:
        shown = ranked[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    else:
        shown = rt.memberships.ranked_joinable(PAGE_SIZE, page * PAGE_SIZE)[0]
    return Page(shown, page, pages, total)

"""Full-text search over proposals: SQLite's FTS5 index on name, description, languages, model
and datasets (kept current by triggers), ranked by BM25."""

from __future__ import annotations

import re

from slackbot.store.db import Store

_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str | None:
    """User words as a safe FTS5 query: every word must match (as a prefix); no operators."""
    words = _WORD.findall(text.lower())[:12]
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words)


class SearchIndex:
    def __init__(self, store: Store) -> None:
        self.store = store

    def matching(self, text: str, limit: int = 500) -> list[int]:
        """Ids of the proposals matching every word of `text`, best first."""
        query = fts_query(text)
        if query is None:
            return []
        rows = self.store.conn.execute(
            "SELECT rowid FROM proposals_fts WHERE proposals_fts MATCH ? ORDER BY rank LIMIT ?",
            (query, limit),
        ).fetchall()
        return [int(r[0]) for r in rows]

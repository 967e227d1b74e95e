"""Who has opened the bot's Home tab: only their tabs are refreshed when their data changes
(publishing a Home tab for someone who never opens it is a wasted Tier 4 call), and what each
was last shown (a digest of the view), so an unchanged tab is not published again."""

from __future__ import annotations

import time

from slackbot.store.db import Store


class HomeVisitors:
    def __init__(self, store: Store) -> None:
        self.store = store

    def remember(self, user_id: str) -> None:
        self.store.conn.execute(
            "INSERT OR IGNORE INTO home_visitors (user_id, first_opened) VALUES (?, ?)",
            (user_id, time.time()),
        )

    def among(self, users: set[str]) -> list[str]:
        if not users:
            return []
        marks = ", ".join("?" for _ in users)
        rows = self.store.conn.execute(
            f"SELECT user_id FROM home_visitors WHERE user_id IN ({marks})", sorted(users)
        ).fetchall()
        return [str(r[0]) for r in rows]

    def shown(self, user_id: str) -> str | None:
        row = self.store.conn.execute(
            "SELECT shown FROM home_visitors WHERE user_id = ?", (user_id,)
        ).fetchone()
        return None if row is None or row[0] is None else str(row[0])

    def showed(self, user_id: str, digest: str) -> None:
        self.store.conn.execute(
            "INSERT INTO home_visitors (user_id, first_opened, shown) VALUES (?, ?, ?) "
            "ON CONFLICT(user_id) DO UPDATE SET shown = excluded.shown",
            (user_id, time.time(), digest),
        )

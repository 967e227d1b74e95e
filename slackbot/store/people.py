"""People the bot knows by name (users.info, cached with the time it was read), the members of
the proposals channel (conversations.members, cached), and one-off events done once."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from slackbot.store.db import Store


@dataclass(frozen=True)
class Person:
    user_id: str
    name: str
    is_bot: bool
    deleted: bool
    fetched_at: float


class People:
    def __init__(self, store: Store) -> None:
        self.store = store

    def remember(
        self, user_id: str, name: str, *, is_bot: bool = False, deleted: bool = False
    ) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO people (user_id, name, is_bot, deleted, fetched_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, "
                "is_bot = excluded.is_bot, deleted = excluded.deleted, "
                "fetched_at = excluded.fetched_at",
                (user_id, name, int(is_bot), int(deleted), time.time()),
            )

    def names(self, user_ids: Iterable[str]) -> dict[str, str]:
        """The cached names of these people (the unknown ones are missing)."""
        wanted = list(dict.fromkeys(user_ids))
        found: dict[str, str] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            for user_id, name in self.store.conn.execute(
                f"SELECT user_id, name FROM people WHERE user_id IN ({marks})", chunk
            ):
                found[str(user_id)] = str(name)
        return found

    def stale(self, older_than: float, limit: int) -> list[str]:
        """People the week involves (proposers, joiners, channel members, judges who scored)
        whose name is unknown or older than `older_than` (a timestamp), unknown ones first."""
        rows = self.store.conn.execute(
            "WITH involved AS (SELECT proposer_id AS u FROM proposals UNION "
            "SELECT user_id FROM wishes UNION SELECT user_id FROM channel_members UNION "
            "SELECT judge_id FROM judge_scores) "
            "SELECT i.u FROM involved i LEFT JOIN people p ON p.user_id = i.u "
            "WHERE p.user_id IS NULL OR p.fetched_at < ? "
            "ORDER BY p.fetched_at IS NOT NULL, p.fetched_at LIMIT ?",
            (older_than, limit),
        ).fetchall()
        return [str(r[0]) for r in rows]

    def bots(self) -> set[str]:
        rows = self.store.conn.execute(
            "SELECT user_id FROM people WHERE is_bot = 1 OR deleted = 1"
        ).fetchall()
        return {str(r[0]) for r in rows}

    # --- the proposals channel's members --------------------------------------------------
    def set_channel_members(self, user_ids: list[str]) -> None:
        now = time.time()
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM channel_members")
            conn.executemany(
                "INSERT OR IGNORE INTO channel_members (user_id, synced_at) VALUES (?, ?)",
                [(u, now) for u in user_ids],
            )
            conn.execute(
                "INSERT INTO once_done (key, at) VALUES ('channel_members_synced', ?) "
                "ON CONFLICT (key) DO UPDATE SET at = excluded.at",
                (now,),
            )

    def channel_members(self) -> list[str]:
        return [str(r[0]) for r in self.store.conn.execute("SELECT user_id FROM channel_members")]

    def channel_synced_at(self) -> float | None:
        return self.done_at("channel_members_synced")

    # --- one-off events ---------------------------------------------------------------------
    def claim_once(self, key: str) -> bool:
        """True for the one caller that does `key` (whatever the processes and restarts)."""
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO once_done (key, at) VALUES (?, ?)", (key, time.time())
            )
            return cursor.rowcount == 1

    def done_at(self, key: str) -> float | None:
        row = self.store.conn.execute("SELECT at FROM once_done WHERE key = ?", (key,)).fetchone()
        return None if row is None else float(row[0])

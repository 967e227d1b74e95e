"""The Hugging Face usernames official members gave (for the week's Hub organisation), and
when each person without one was last reminded."""

from __future__ import annotations

import time
from collections.abc import Iterable

from slackbot.store.db import Store


class HubUsernames:
    def __init__(self, store: Store) -> None:
        self.store = store

    def give(self, user_id: str, username: str) -> str | None:
        """Store a person's username; returns the one they had before (None: none)."""
        with self.store.transaction() as conn:
            before = conn.execute(
                "SELECT username FROM hub_usernames WHERE user_id = ?", (user_id,)
            ).fetchone()
            conn.execute(
                "INSERT INTO hub_usernames (user_id, username, given_at) VALUES (?, ?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET username = excluded.username, "
                "given_at = excluded.given_at",
                (user_id, username, time.time()),
            )
        return str(before[0]) if before and before[0] else None

    def of(self, user_ids: Iterable[str]) -> dict[str, str]:
        """The usernames these people gave (those without one are missing)."""
        wanted = list(dict.fromkeys(user_ids))
        found: dict[str, str] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            for user_id, username in self.store.tuples(
                f"SELECT user_id, username FROM hub_usernames WHERE user_id IN ({marks}) "
                "AND username IS NOT NULL",
                tuple(chunk),
            ):
                found[str(user_id)] = str(username)
        return found

    def reminded_since(self, user_ids: Iterable[str], since: float) -> set[str]:
        wanted = list(dict.fromkeys(user_ids))
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            found.update(
                str(r[0])
                for r in self.store.tuples(
                    f"SELECT user_id FROM hub_usernames WHERE user_id IN ({marks}) "
                    "AND reminded_at >= ?",
                    (*chunk, since),
                )
            )
        return found

    def claim_reminder(self, user_id: str, since: float) -> bool:
        """Claim today's reminder for a person: False if they were reminded after `since`."""
        now = time.time()
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO hub_usernames (user_id, reminded_at) VALUES (?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET reminded_at = excluded.reminded_at "
                "WHERE hub_usernames.reminded_at IS NULL OR hub_usernames.reminded_at < ?",
                (user_id, now, since),
            )
        return cursor.rowcount == 1

    def release_reminder(self, user_id: str) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE hub_usernames SET reminded_at = NULL WHERE user_id = ?", (user_id,)
            )

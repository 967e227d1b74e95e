"""The Hub's answers about models and datasets, cached: asking the Hub again for every
submission and every redraw of a post would be slow and would lean on a service that is not
ours. An answer is trusted until it expires (`slackbot.domain.hub.ttl_of`)."""

from __future__ import annotations

import time
from collections.abc import Iterable

from slackbot.domain.hub import HubAnswer, ttl_of
from slackbot.store.db import Store


class HubAnswers:
    def __init__(self, store: Store) -> None:
        self.store = store

    def fresh(
        self, keys: Iterable[tuple[str, str]], now: float | None = None
    ) -> dict[tuple[str, str], HubAnswer]:
        """The answers still trusted for these (kind, id) keys."""
        now = time.time() if now is None else now
        wanted = list(dict.fromkeys(keys))
        found: dict[tuple[str, str], HubAnswer] = {}
        for kind, repo_id in wanted:
            row = self.store.conn.execute(
                "SELECT answer FROM hub_answers WHERE kind = ? AND repo_id = ? AND expires_at > ?",
                (kind, repo_id, now),
            ).fetchone()
            if row is not None:
                found[(kind, repo_id)] = HubAnswer.from_json(row[0])
        return found

    def put(self, key: tuple[str, str], answer: HubAnswer, now: float | None = None) -> None:
        now = time.time() if now is None else now
        self.store.conn.execute(
            "INSERT INTO hub_answers (kind, repo_id, answer, asked_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(kind, repo_id) DO UPDATE SET "
            "answer = excluded.answer, asked_at = excluded.asked_at, "
            "expires_at = excluded.expires_at",
            (key[0], key[1], answer.to_json(), now, now + ttl_of(answer)),
        )

"""The notices outbox: what people are to be told about their place in a team, stored with the
change that calls for it (same database, same transaction when there is one), so a crash or a
restart loses none and sends none twice. A sender claims due notices for a while (two
processes never send the same one), sends them, and marks them sent with where they landed
(so the copies of an organizer's request can be updated once it is decided)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from slackbot.store.db import Store

REMINDER = "reminder"  # to each organizer: a team left at "Not yet", raised again


@dataclass(frozen=True)
class Notice:
    id: int
    user_id: str
    proposal_id: int
    kind: str
    detail: dict[str, Any]
    created_at: float


class Notices:
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(
        self,
        user_id: str,
        proposal_id: int,
        kind: str,
        detail: dict[str, Any] | None = None,
        *,
        delay: float = 0.0,
    ) -> None:
        """Queue a notice (in the caller's transaction, if any)."""
        now = time.time()
        self.store.conn.execute(
            "INSERT INTO notices (user_id, proposal_id, kind, detail, created_at, due_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (user_id, proposal_id, kind, json.dumps(detail or {}), now, now + delay),
        )

    def claim_due(self, due_by: float, *, hold: float, limit: int = 200) -> list[Notice]:
        """Take the unsent notices due by `due_by` that no one holds now, for `hold` seconds;
        oldest first. (A flush passes a `due_by` in the future; a claim is judged by the
        clock, so a flush never takes what another sender holds.)"""
        now = time.time()
        due = self.store.conn.execute(
            "SELECT 1 FROM notices WHERE sent_at IS NULL AND due_at <= ? AND claimed_until < ? "
            "LIMIT 1",
            (due_by, now),
        ).fetchone()
        if due is None:  # the usual case: no write lock taken (the sender looks 4 times a second)
            return []
        with self.store.transaction() as conn:
            rows = conn.execute(
                "SELECT id, user_id, proposal_id, kind, detail, created_at FROM notices "
                "WHERE sent_at IS NULL AND due_at <= ? AND claimed_until < ? "
                "ORDER BY id LIMIT ?",
                (due_by, now, limit),
            ).fetchall()
            conn.executemany(
                "UPDATE notices SET claimed_until = ? WHERE id = ?",
                [(now + hold, r[0]) for r in rows],
            )
        return [
            Notice(int(r[0]), str(r[1]), int(r[2]), str(r[3]), json.loads(r[4] or "{}"), r[5])
            for r in rows
        ]

    def sent(self, ids: list[int], channel: str | None = None, ts: str | None = None) -> None:
        with self.store.transaction() as conn:
            conn.executemany(
                "UPDATE notices SET sent_at = ?, detail = json_set(COALESCE(detail, '{}'), "
                "'$.channel', ?, '$.ts', ?) WHERE id = ?",
                [(time.time(), channel, ts, i) for i in ids],
            )

    def retry(self, ids: list[int], at: float) -> None:
        with self.store.transaction() as conn:
            conn.executemany(
                "UPDATE notices SET due_at = ?, claimed_until = 0 WHERE id = ?",
                [(at, i) for i in ids],
            )

    def pending(self) -> bool:
        row = self.store.conn.execute(
            "SELECT 1 FROM notices WHERE sent_at IS NULL LIMIT 1"
        ).fetchone()
        return row is not None

    def copies(self, proposal_id: int, kind: str, about: str) -> list[tuple[str, str]]:
        """Where the sent notices of `kind` about a person (detail.about) landed."""
        rows = self.store.conn.execute(
            "SELECT json_extract(detail, '$.channel'), json_extract(detail, '$.ts') "
            "FROM notices WHERE proposal_id = ? AND kind = ? AND sent_at IS NOT NULL "
            "AND json_extract(detail, '$.about') = ?",
            (proposal_id, kind, about),
        ).fetchall()
        return [(str(c), str(t)) for c, t in rows if c and t]

    def sent_to(self, user_id: str) -> list[Notice]:
        """Every notice sent to a person (tests, the demo)."""
        rows = self.store.conn.execute(
            "SELECT id, user_id, proposal_id, kind, detail, created_at FROM notices "
            "WHERE user_id = ? AND sent_at IS NOT NULL ORDER BY id",
            (user_id,),
        ).fetchall()
        return [
            Notice(int(r[0]), str(r[1]), int(r[2]), str(r[3]), json.loads(r[4] or "{}"), r[5])
            for r in rows
        ]

"""The inbox: every acknowledged request whose work is not done yet, in SQLite.

A listener records the request (the work's name, its lane and the payload it needs) before it
answers Slack; a worker does the work and marks it done. Whatever a crash interrupts is still
here at the next start, and is done then. The key (the event_id, or the trigger_id) makes a
second delivery of the same event one row: the duplicate is acknowledged and dropped.

A row belongs to the process that recorded it (`owner`, with a lease): another process takes it
over only when the lease has expired or, on the same host, when the owner process is gone.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slackbot.store.claims import owner_gone, this_process
from slackbot.store.db import Store

PENDING, DONE, FAILED = "pending", "done", "failed"


@dataclass(frozen=True)
class Work:
    id: int
    handler: str
    lane: str
    body: dict[str, Any]
    user_id: str | None
    attempts: int
    received_at: float


class Inbox:
    def __init__(
        self,
        store: Store,
        *,
        lease: float = 300.0,
        owner: str | None = None,
        is_gone: Callable[[str | None], bool] = owner_gone,
    ) -> None:
        self.store = store
        self.lease = lease
        self.owner = owner or this_process()
        self.is_gone = is_gone

    def record(
        self,
        key: str,
        handler: str,
        lane: str,
        body: dict[str, Any],
        *,
        user_id: str | None = None,
        now: float | None = None,
    ) -> int | None:
        """Store a request before its ack; its id, or None if this key was recorded before."""
        now = time.time() if now is None else now
        cursor = self.store.conn.execute(
            "INSERT OR IGNORE INTO inbox (key, handler, lane, body, user_id, received_at, "
            "state, attempts, next_at, owner, lease_until) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)",
            (
                key,
                handler,
                lane,
                json.dumps(body, separators=(",", ":")),
                user_id,
                now,
                PENDING,
                now,
                self.owner,
                now + self.lease,
            ),
        )
        return int(cursor.lastrowid) if cursor.rowcount == 1 and cursor.lastrowid else None

    def get(self, work_id: int) -> Work | None:
        row = self.store.conn.execute(
            "SELECT id, handler, lane, body, user_id, attempts, received_at FROM inbox "
            "WHERE id = ? AND state = ?",
            (work_id, PENDING),
        ).fetchone()
        return None if row is None else _work(row)

    def take_over(self, *, now: float | None = None, limit: int = 500) -> list[Work]:
        """Pending work that is due and nobody (alive) holds: claimed for this process, oldest
        first. At start-up this is what a crash left; later, work shed when a lane was full,
        work to retry, and work of a process that died."""
        now = time.time() if now is None else now
        rows = self.store.conn.execute(
            "SELECT id, owner, lease_until FROM inbox WHERE state = ? AND next_at <= ? "
            "ORDER BY id LIMIT ?",
            (PENDING, now, limit * 4),
        ).fetchall()
        ids = [
            int(r[0]) for r in rows if r[1] == self.owner or (r[2] or 0) < now or self.is_gone(r[1])
        ][:limit]
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        with self.store.transaction() as conn:
            conn.execute(
                f"UPDATE inbox SET owner = ?, lease_until = ? WHERE id IN ({marks}) AND state = ?",
                (self.owner, now + self.lease, *ids, PENDING),
            )
            found = conn.execute(
                "SELECT id, handler, lane, body, user_id, attempts, received_at FROM inbox "
                f"WHERE id IN ({marks}) AND state = ? ORDER BY id",
                (*ids, PENDING),
            ).fetchall()
        return [_work(r) for r in found]

    def done(self, work_id: int) -> None:
        self.store.conn.execute(
            "UPDATE inbox SET state = ?, done_at = ?, error = NULL WHERE id = ?",
            (DONE, time.time(), work_id),
        )

    def retry_later(self, work_id: int, error: str, delay: float) -> None:
        now = time.time()
        self.store.conn.execute(
            "UPDATE inbox SET attempts = attempts + 1, error = ?, next_at = ?, lease_until = ? "
            "WHERE id = ?",
            (error[:500], now + delay, now + delay, work_id),
        )

    def failed(self, work_id: int, error: str) -> None:
        self.store.conn.execute(
            "UPDATE inbox SET state = ?, attempts = attempts + 1, error = ?, done_at = ? "
            "WHERE id = ?",
            (FAILED, error[:500], time.time(), work_id),
        )

    def counts(self) -> dict[str, int]:
        return {
            str(state): int(n)
            for state, n in self.store.conn.execute(
                "SELECT state, COUNT(*) FROM inbox GROUP BY state"
            ).fetchall()
        }

    def purge(self, older_than: float) -> int:
        """Forget finished work (kept a day: long enough to recognise Slack's retries)."""
        cursor = self.store.conn.execute(
            "DELETE FROM inbox WHERE state != ? AND done_at < ?", (PENDING, older_than)
        )
        return cursor.rowcount


def _work(row: Any) -> Work:
    return Work(
        id=int(row[0]),
        handler=str(row[1]),
        lane=str(row[2]),
        body=json.loads(row[3]),
        user_id=row[4],
        attempts=int(row[5] or 0),
        received_at=float(row[6] or 0.0),
    )

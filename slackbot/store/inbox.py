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
import threading
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
        self._group: _GroupWriter | None = None
        self._writer_lock = threading.Lock()

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
        """Store a request before its ack; its id, or None if this key was recorded before.

        Returns once the row is committed. Requests arriving together are committed together
        (one writer thread, one transaction per batch): under a flood, a listener waits for one
        short commit instead of queueing for the write lock behind every other listener."""
        now = time.time() if now is None else now
        row = (
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
        )
        return self._writer().write(row)

    def _writer(self) -> _GroupWriter:
        with self._writer_lock:
            if self._group is None or not self._group.alive():
                self._group = _GroupWriter(self.store)
            return self._group

    def close(self) -> None:
        with self._writer_lock:
            if self._group is not None:
                self._group.stop()
                self._group = None

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

    def done_many(self, work_ids: list[int]) -> None:
        marks = ", ".join("?" for _ in work_ids)
        self.store.conn.execute(
            f"UPDATE inbox SET state = ?, done_at = ?, error = NULL WHERE id IN ({marks})",
            (DONE, time.time(), *work_ids),
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

    def pending_before(self, lane: str, received_before: float) -> int:
        """Work of `lane` received before that time and not done yet."""
        row = self.store.conn.execute(
            "SELECT COUNT(*) FROM inbox WHERE state = 'pending' AND lane = ? AND received_at < ?",
            (lane, received_before),
        ).fetchone()
        return int(row[0])

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


_INSERT = (
    "INSERT OR IGNORE INTO inbox (key, handler, lane, body, user_id, received_at, "
    "state, attempts, next_at, owner, lease_until) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)"
)
BATCH = 256


class _Pending:
    __slots__ = ("done", "error", "lead", "result", "row")

    def __init__(self, row: tuple[Any, ...]) -> None:
        self.row = row
        self.done = threading.Event()
        self.lead = False  # woken to commit the next batch, not because it is committed
        self.result: int | None = None
        self.error: BaseException | None = None


class _GroupWriter:
    """Group commit without a thread of its own: the first request to arrive commits at once
    (no hand-off to another thread), and whoever arrives meanwhile waits and is committed in the
    next batch, led by the first of them."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.lock = threading.Lock()
        self.waiting: list[_Pending] = []
        self.busy = False

    def alive(self) -> bool:
        return True

    def stop(self) -> None:
        return None

    def write(self, row: tuple[Any, ...]) -> int | None:
        me = _Pending(row)
        with self.lock:
            self.waiting.append(me)
            leading = not self.busy
            self.busy = True
        if not leading:
            me.done.wait()
            leading = me.lead
        if leading:
            self._lead()
        if me.error is not None:
            raise me.error
        return me.result

    def _lead(self) -> None:
        with self.lock:
            batch, self.waiting = self.waiting[:BATCH], self.waiting[BATCH:]
        try:
            with self.store.transaction() as conn:
                for pending in batch:
                    cursor = conn.execute(_INSERT, pending.row)
                    row_id = cursor.lastrowid
                    pending.result = row_id if cursor.rowcount == 1 and row_id else None
        except BaseException as exc:  # each listener answers Slack with the failure
            for pending in batch:
                pending.result, pending.error = None, exc
        with self.lock:
            if self.waiting:  # arrived during the commit: the first of them leads next
                successor = self.waiting[0]
                successor.lead = True
                successor.done.set()
            else:
                self.busy = False
        for pending in batch:
            pending.lead = False
            pending.done.set()

"""Posts whose roster on screen is older than the team in the database.

A membership change marks its post here (in the same database as the change, so a crash
cannot separate them); the roster updater redraws marked posts and unmarks them. Each mark has a
version: a change that lands while a redraw is in flight bumps it, so that redraw does not
unmark the post and the newer team is drawn too. A claim keeps two processes from redrawing the
same post at once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from slackbot.store.claims import this_process
from slackbot.store.db import Store


@dataclass(frozen=True)
class Mark:
    proposal_id: int
    version: int
    marked_at: float


class RedrawMarks:
    def __init__(self, store: Store) -> None:
        self.store = store

    def mark(self, proposal_id: int, now: float | None = None) -> None:
        now = time.time() if now is None else now
        self.store.conn.execute(
            "INSERT INTO redraws (proposal_id, version, marked_at) VALUES (?, 1, ?) "
            "ON CONFLICT(proposal_id) DO UPDATE SET version = version + 1",
            (proposal_id, now),
        )

    def due(self, marked_before: float, now: float, limit: int) -> list[Mark]:
        """Marks old enough to redraw and not claimed by anyone, oldest first."""
        rows = self.store.conn.execute(
            "SELECT proposal_id, version, marked_at FROM redraws WHERE marked_at <= ? "
            "AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY marked_at LIMIT ?",
            (marked_before, now, limit),
        ).fetchall()
        return [Mark(int(r[0]), int(r[1]), float(r[2])) for r in rows]

    def claim(self, mark: Mark, now: float, hold: float) -> Mark | None:
        """Take the mark for `hold` seconds; the mark as it is now, or None if someone has it."""
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "UPDATE redraws SET claimed_until = ?, owner = ? WHERE proposal_id = ? "
                "AND (claimed_until IS NULL OR claimed_until < ?)",
                (now + hold, this_process(), mark.proposal_id, now),
            )
            if cursor.rowcount != 1:
                return None
            row = conn.execute(
                "SELECT version, marked_at FROM redraws WHERE proposal_id = ?",
                (mark.proposal_id,),
            ).fetchone()
        return Mark(mark.proposal_id, int(row[0]), float(row[1]))

    def unmark(self, mark: Mark) -> bool:
        """The post shows the team of `mark`'s version: unmark it, unless a newer change came
        (then it stays marked, released for the next redraw). True if unmarked."""
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "DELETE FROM redraws WHERE proposal_id = ? AND version = ?",
                (mark.proposal_id, mark.version),
            )
            if cursor.rowcount == 1:
                return True
            conn.execute(
                "UPDATE redraws SET claimed_until = NULL, marked_at = ? WHERE proposal_id = ?",
                (time.time(), mark.proposal_id),
            )
        return False

    def release(self, mark: Mark, retry_at: float) -> None:
        """Redraw failed for now: keep the mark, try again at `retry_at`."""
        self.store.conn.execute(
            "UPDATE redraws SET claimed_until = ? WHERE proposal_id = ?",
            (retry_at, mark.proposal_id),
        )

    def drop(self, mark: Mark) -> None:
        self.store.conn.execute("DELETE FROM redraws WHERE proposal_id = ?", (mark.proposal_id,))

    def count(self) -> int:
        return int(self.store.conn.execute("SELECT COUNT(*) FROM redraws").fetchone()[0])

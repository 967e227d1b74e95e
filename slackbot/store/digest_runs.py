"""Digest slots: whoever inserts a slot's row posts that digest; everyone else (a second
process, a restart catching up) finds the row and does nothing.

In thread mode the table also holds the pinned parent message the digests reply under, as the
row of slot `thread-parent` (outcome "making" while a process posts it, then "parent" with its
ts), so that one process at a time makes a new parent and every other one reuses it.
"""

from __future__ import annotations

import time

from slackbot.store.claims import owner_gone, this_process
from slackbot.store.db import Store

THREAD_PARENT = "thread-parent"
MAKING_PARENT = 120.0  # seconds a process may take to post and pin a parent before another may


class DigestRuns:
    def __init__(self, store: Store) -> None:
        self.store = store

    def claim(self, slot: str) -> bool:
        cursor = self.store.conn.execute(
            "INSERT OR IGNORE INTO digest_runs (slot, claimed_by, claimed_at) VALUES (?, ?, ?)",
            (slot, this_process(), time.time()),
        )
        return cursor.rowcount == 1

    def record(self, slot: str, outcome: str, ts: str | None) -> None:
        self.store.conn.execute(
            "UPDATE digest_runs SET posted_at = ?, ts = ?, outcome = ? WHERE slot = ?",
            (time.time(), ts, outcome, slot),
        )

    def last_posted_at(self) -> float | None:
        row = self.store.conn.execute(
            "SELECT MAX(posted_at) FROM digest_runs WHERE outcome = 'posted'"
        ).fetchone()
        return None if row is None or row[0] is None else float(row[0])

    # ------------------------------------------------------------------ thread mode

    def thread_parent(self) -> str | None:
        """The ts of the message digests reply under, if one was posted."""
        row = self.store.conn.execute(
            "SELECT ts FROM digest_runs WHERE slot = ? AND outcome = 'parent'", (THREAD_PARENT,)
        ).fetchone()
        return None if row is None or row[0] is None else str(row[0])

    def claim_thread_parent(
        self, *, replacing: str | None = None, now: float | None = None
    ) -> bool:
        """Take the making of a new parent: when there is none, when `replacing` (found gone
        from Slack) is still the current one, or when whoever was making one died or stalled.
        False: another process made or is making it."""
        now = time.time() if now is None else now
        with self.store.transaction() as conn:
            row = conn.execute(
                "SELECT ts, outcome, claimed_by, claimed_at FROM digest_runs WHERE slot = ?",
                (THREAD_PARENT,),
            ).fetchone()
            if row is not None:
                ts, outcome, owner, claimed_at = row
                gone = outcome == "parent" and replacing is not None and ts == replacing
                stalled = outcome == "making" and (
                    float(claimed_at or 0) < now - MAKING_PARENT or owner_gone(owner)
                )
                if not (gone or stalled):
                    return False
            conn.execute(
                "INSERT INTO digest_runs (slot, claimed_by, claimed_at, outcome) "
                "VALUES (?, ?, ?, 'making') ON CONFLICT (slot) DO UPDATE SET "
                "claimed_by = excluded.claimed_by, claimed_at = excluded.claimed_at, "
                "outcome = 'making', ts = NULL, posted_at = NULL",
                (THREAD_PARENT, this_process(), now),
            )
            return True

    def record_thread_parent(self, ts: str) -> None:
        self.store.conn.execute(
            "UPDATE digest_runs SET ts = ?, outcome = 'parent', posted_at = ? "
            "WHERE slot = ? AND claimed_by = ?",
            (ts, time.time(), THREAD_PARENT, this_process()),
        )

    def release_thread_parent(self) -> None:
        """Posting the parent failed: let the next digest try again."""
        self.store.conn.execute(
            "DELETE FROM digest_runs WHERE slot = ? AND outcome = 'making' AND claimed_by = ?",
            (THREAD_PARENT, this_process()),
        )

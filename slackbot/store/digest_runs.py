"""Digest slots: whoever inserts a slot's row posts that digest; everyone else (a second
process, a restart catching up) finds the row and does nothing."""

from __future__ import annotations

import os
import socket
import time

from slackbot.store.db import Store


class DigestRuns:
    def __init__(self, store: Store) -> None:
        self.store = store

    def claim(self, slot: str) -> bool:
        owner = f"{socket.gethostname()}:{os.getpid()}"
        cursor = self.store.conn.execute(
            "INSERT OR IGNORE INTO digest_runs (slot, claimed_by, claimed_at) VALUES (?, ?, ?)",
            (slot, owner, time.time()),
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

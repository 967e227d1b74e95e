"""The week's compute pool: allocations (one per official team at most, held by a unique
index so an event heard twice cannot give a team two), what was sent to whom (so a hand-out
run again sends nothing twice), members' answers, and what a team was told about its compute.
The details are read only by the hand-out and the export with secrets."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from slackbot.domain.compute import Allocation, PoolRow
from slackbot.store.claims import this_process
from slackbot.store.db import Store

_COLUMNS = "id, label, details, kind, note, proposal_id, given_at, returned_at, set_aside_at"


def _allocation(row: tuple[Any, ...]) -> Allocation:
    return Allocation(
        id=int(row[0]),
        label=str(row[1]),
        details=str(row[2]),
        kind=str(row[3] or ""),
        note=str(row[4] or ""),
        proposal_id=None if row[5] is None else int(row[5]),
        given_at=None if row[6] is None else float(row[6]),
        returned_at=None if row[7] is None else float(row[7]),
        set_aside_at=None if row[8] is None else float(row[8]),
    )


@dataclass(frozen=True)
class SendClaim:
    allocation_id: int
    proposal_id: int
    recipient: str
    earlier_attempt: float | None  # when an attempt that may have reached Slack began


@dataclass(frozen=True)
class Answer:
    user_id: str
    works: bool
    problem: str
    at: float


class ComputePool:
    def __init__(self, store: Store) -> None:
        self.store = store

    # --- the pool ---------------------------------------------------------------------
    def labels(self) -> set[str]:
        return {str(r[0]) for r in self.store.tuples("SELECT label FROM compute_pool")}

    def add(self, rows: Iterable[PoolRow], by: str) -> list[Allocation]:
        now = time.time()
        ids = []
        with self.store.transaction() as conn:
            for row in rows:
                cursor = conn.execute(
                    "INSERT INTO compute_pool (label, details, kind, note, added_by, added_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (row.label, row.details, row.kind, row.note, by, now),
                )
                ids.append(int(cursor.lastrowid or 0))
        return [a for a in self.all() if a.id in ids]

    def all(self) -> list[Allocation]:
        return [
            _allocation(r)
            for r in self.store.tuples(f"SELECT {_COLUMNS} FROM compute_pool ORDER BY id")
        ]

    def by_label(self, label: str) -> Allocation | None:
        rows = self.store.tuples(
            f"SELECT {_COLUMNS} FROM compute_pool WHERE label = ? COLLATE NOCASE", (label,)
        )
        return _allocation(rows[0]) if rows else None

    def of_team(self, proposal_id: int) -> Allocation | None:
        rows = self.store.tuples(
            f"SELECT {_COLUMNS} FROM compute_pool WHERE proposal_id = ?", (proposal_id,)
        )
        return _allocation(rows[0]) if rows else None

    def given(self) -> dict[int, Allocation]:
        """proposal id -> its allocation, for every team that has one."""
        return {
            a.proposal_id: a
            for a in map(
                _allocation,
                self.store.tuples(
                    f"SELECT {_COLUMNS} FROM compute_pool WHERE proposal_id IS NOT NULL"
                ),
            )
            if a.proposal_id is not None
        }

    def next_free(self) -> Allocation | None:
        """The free allocation to give next: in the order they were added (a returned one
        takes its place again; one set aside is not free)."""
        rows = self.store.tuples(
            f"SELECT {_COLUMNS} FROM compute_pool WHERE proposal_id IS NULL "
            "AND set_aside_at IS NULL ORDER BY id LIMIT 1"
        )
        return _allocation(rows[0]) if rows else None

    def free_count(self) -> int:
        rows = self.store.tuples(
            "SELECT COUNT(*) FROM compute_pool WHERE proposal_id IS NULL AND set_aside_at IS NULL"
        )
        return int(rows[0][0])

    def give(self, allocation_id: int, proposal_id: int) -> bool:
        """Give an allocation no team holds to a team without one; False if either is taken
        already. (One set aside is given only by an organizer's hand: that puts it back.)"""
        try:
            with self.store.transaction() as conn:
                cursor = conn.execute(
                    "UPDATE compute_pool SET proposal_id = ?, given_at = ?, set_aside_at = NULL "
                    "WHERE id = ? AND proposal_id IS NULL",
                    (proposal_id, time.time(), allocation_id),
                )
        except sqlite3.IntegrityError:  # the team has one already
            return False
        return cursor.rowcount == 1

    def take_back(self, allocation_id: int) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE compute_pool SET proposal_id = NULL, given_at = NULL, returned_at = ? "
                "WHERE id = ?",
                (time.time(), allocation_id),
            )

    def set_aside(self, allocation_id: int) -> None:
        """Taken back as broken: no team holds it, and the hand-out gives it to nobody until
        `put_back`."""
        now = time.time()
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE compute_pool SET proposal_id = NULL, given_at = NULL, returned_at = ?, "
                "set_aside_at = ? WHERE id = ?",
                (now, now, allocation_id),
            )

    def put_back(self, allocation_id: int, details: str | None = None) -> None:
        """Fixed: free again (with new details, if given)."""
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE compute_pool SET set_aside_at = NULL, details = COALESCE(?, details) "
                "WHERE id = ?",
                (details, allocation_id),
            )

    # --- what was sent, and what members answered ---------------------------------------
    # One row per (allocation, team, recipient): `sending` while an attempt holds it (owner,
    # lease) or until one is made; `sent` once Slack took the message. `tried_since` is when the
    # first attempt began: whoever takes the claim after it looks for that attempt's message
    # (by its metadata) before sending, so a crash between Slack's answer and the `sent` mark
    # sends nothing twice, and one before the send loses nothing.
    def queue_send(self, allocation_id: int, proposal_id: int, recipient: str) -> None:
        """Record that `recipient` is to be sent the details (a private team channel, found
        private once): a crash before its send cannot forget it."""
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO compute_sent (allocation_id, proposal_id, recipient, "
                "sent_at, state, claimed_until) VALUES (?, ?, ?, ?, 'sending', 0)",
                (allocation_id, proposal_id, recipient, time.time()),
            )

    def claim_send(
        self, allocation_id: int, proposal_id: int, recipient: str, lease: float
    ) -> SendClaim | None:
        """Claim the sending of an allocation's details to one recipient (a member, or a
        private team channel) for `lease` seconds; None if it was sent, or another attempt
        holds it."""
        now = time.time()
        key = (allocation_id, proposal_id, recipient)
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO compute_sent (allocation_id, proposal_id, recipient, "
                "sent_at, state, owner, claimed_until, tried_since) "
                "VALUES (?, ?, ?, ?, 'sending', ?, ?, ?)",
                (*key, now, this_process(), now + lease, now),
            )
            if cursor.rowcount == 1:
                return SendClaim(*key, earlier_attempt=None)
            before = conn.execute(
                "SELECT tried_since FROM compute_sent WHERE allocation_id = ? "
                "AND proposal_id = ? AND recipient = ? AND state = 'sending' "
                "AND claimed_until < ?",
                (*key, now),
            ).fetchone()
            if before is None:
                return None
            conn.execute(
                "UPDATE compute_sent SET owner = ?, claimed_until = ?, "
                "tried_since = COALESCE(tried_since, ?) WHERE allocation_id = ? "
                "AND proposal_id = ? AND recipient = ?",
                (this_process(), now + lease, now, *key),
            )
        earlier = None if before[0] is None else float(before[0])
        return SendClaim(*key, earlier_attempt=earlier)

    def mark_sent(self, claim: SendClaim) -> None:
        self._set_send(claim, "state = 'sent', owner = NULL, claimed_until = 0, sent_at = ?")

    def release_send(self, claim: SendClaim) -> None:
        """Slack did not take it (or could not say): the next hand-out tries again, looking
        first for what this attempt may have posted."""
        self._set_send(claim, "owner = NULL, claimed_until = 0, sent_at = ?")

    def _set_send(self, claim: SendClaim, assignments: str) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                f"UPDATE compute_sent SET {assignments} WHERE allocation_id = ? "
                "AND proposal_id = ? AND recipient = ?",
                (time.time(), claim.allocation_id, claim.proposal_id, claim.recipient),
            )

    def sent_to(self, allocation_id: int, proposal_id: int) -> set[str]:
        """Who Slack took the details' message for."""
        return self._recipients(allocation_id, proposal_id, "sent")

    def unsent(self, allocation_id: int, proposal_id: int) -> set[str]:
        """Recipients claimed or queued whose message is not known to be sent."""
        return self._recipients(allocation_id, proposal_id, "sending")

    def _recipients(self, allocation_id: int, proposal_id: int, state: str) -> set[str]:
        return {
            str(r[0])
            for r in self.store.tuples(
                "SELECT recipient FROM compute_sent WHERE allocation_id = ? AND proposal_id = ? "
                "AND state = ?",
                (allocation_id, proposal_id, state),
            )
        }

    def answer(
        self, proposal_id: int, user_id: str, allocation_id: int, works: bool, problem: str
    ) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO compute_answers (proposal_id, user_id, allocation_id, works, "
                "problem, at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (proposal_id, user_id) DO "
                "UPDATE SET allocation_id = excluded.allocation_id, works = excluded.works, "
                "problem = excluded.problem, at = excluded.at",
                (proposal_id, user_id, allocation_id, int(works), problem, time.time()),
            )

    def answers(self, proposal_id: int, allocation_id: int) -> dict[str, Answer]:
        """Members' answers about this allocation (answers about an earlier one are not)."""
        return {
            str(r[0]): Answer(str(r[0]), bool(r[1]), str(r[2]), float(r[3]))
            for r in self.store.tuples(
                "SELECT user_id, works, problem, at FROM compute_answers "
                "WHERE proposal_id = ? AND allocation_id = ?",
                (proposal_id, allocation_id),
            )
        }

    # --- what a team was told -----------------------------------------------------------
    def tell_once(self, proposal_id: int, what: str) -> bool:
        """True the first time a team is to be told `what` (waiting, too small)."""
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO compute_told (proposal_id, what, at) VALUES (?, ?, ?)",
                (proposal_id, what, time.time()),
            )
        return cursor.rowcount == 1

    def told(self, proposal_id: int, what: str) -> bool:
        return bool(
            self.store.tuples(
                "SELECT 1 FROM compute_told WHERE proposal_id = ? AND what = ?",
                (proposal_id, what),
            )
        )

    def forget_told(self, proposal_id: int, what: str) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                "DELETE FROM compute_told WHERE proposal_id = ? AND what = ?", (proposal_id, what)
            )

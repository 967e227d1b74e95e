"""Organizer alerts: the claim that an alert exists (one per project and kind), what the
organizers decided, and one delivery per recipient with its own state.

A delivery is pending until its message is in Slack. Sending claims it (`sending`, with a lease
and the time the first attempt began); a crash leaves it `sending` with an expired lease, and
whoever resumes it looks for the message that attempt may have posted before posting again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from slackbot.store.claims import this_process
from slackbot.store.db import Store

PENDING, SENDING, SENT, MOOT = "pending", "sending", "sent", "moot"


@dataclass(frozen=True)
class Delivery:
    proposal_id: int
    kind: str
    recipient: str
    attempts: int  # attempts begun before this one
    sending_since: float | None


@dataclass(frozen=True)
class Decision:
    by: str
    at: float
    outcome: str  # official, not_yet


class Alerts:
    def __init__(self, store: Store) -> None:
        self.store = store

    def claim(self, proposal_id: int, kind: str, recipients: list[str]) -> bool:
        """Create the alert and its deliveries; False if the alert existed already."""
        now = time.time()
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO alerts (proposal_id, kind, state, claimed_at) "
                "VALUES (?, ?, 'claimed', ?)",
                (proposal_id, kind, now),
            )
            if cursor.rowcount != 1:
                return False
            conn.executemany(
                "INSERT OR IGNORE INTO alert_deliveries "
                "(proposal_id, kind, recipient, state, attempts, next_at) "
                "VALUES (?, ?, ?, ?, 0, ?)",
                [(proposal_id, kind, r, PENDING, now) for r in recipients],
            )
        return True

    def as_if_attempted(self, proposal_id: int, since: float) -> None:
        """The project's pending alerts were perhaps sent before the database was lost: their
        first attempt looks for a copy posted since `since` in each organizer's DM (and adopts
        it) before sending one."""
        self.store.conn.execute(
            "UPDATE alert_deliveries SET attempts = MAX(attempts, 1), "
            "sending_since = MIN(COALESCE(sending_since, ?), ?) "
            "WHERE proposal_id = ? AND state = ?",
            (since, since, proposal_id, PENDING),
        )

    def add_recipients(self, proposal_id: int, kind: str, recipients: list[str]) -> None:
        """Deliveries for an alert claimed before deliveries existed (an upgraded database)."""
        self.store.conn.executemany(
            "INSERT OR IGNORE INTO alert_deliveries "
            "(proposal_id, kind, recipient, state, attempts, next_at) "
            "VALUES (?, ?, ?, ?, 0, ?)",
            [(proposal_id, kind, r, PENDING, time.time()) for r in recipients],
        )

    def without_deliveries(self) -> list[tuple[int, str]]:
        rows = self.store.conn.execute(
            "SELECT a.proposal_id, a.kind FROM alerts a WHERE a.state = 'claimed' AND NOT EXISTS "
            "(SELECT 1 FROM alert_deliveries d WHERE d.proposal_id = a.proposal_id "
            "AND d.kind = a.kind)"
        ).fetchall()
        return [(int(r[0]), str(r[1])) for r in rows]

    def due(self, now: float | None = None, proposal_id: int | None = None) -> list[Delivery]:
        """Deliveries to attempt now: pending and due, or sending with an expired lease."""
        now = time.time() if now is None else now
        sql = (
            "SELECT proposal_id, kind, recipient, attempts, sending_since FROM alert_deliveries "
            "WHERE ((state = ? AND next_at <= ?) OR (state = ? AND claimed_until < ?))"
        )
        params: list[object] = [PENDING, now, SENDING, now]
        if proposal_id is not None:
            sql += " AND proposal_id = ?"
            params.append(proposal_id)
        rows = self.store.conn.execute(sql + " ORDER BY next_at", params).fetchall()
        return [Delivery(int(r[0]), str(r[1]), str(r[2]), int(r[3]), r[4]) for r in rows]

    def start_sending(self, d: Delivery, lease: float) -> Delivery | None:
        """Claim a due delivery for this attempt; None if someone else has it."""
        now = time.time()
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "UPDATE alert_deliveries SET state = ?, claimed_until = ?, owner = ?, "
                "attempts = attempts + 1, sending_since = COALESCE(sending_since, ?) "
                "WHERE proposal_id = ? AND kind = ? AND recipient = ? "
                "AND ((state = ? AND next_at <= ?) OR (state = ? AND claimed_until < ?))",
                (
                    SENDING,
                    now + lease,
                    this_process(),
                    now,
                    d.proposal_id,
                    d.kind,
                    d.recipient,
                    PENDING,
                    now,
                    SENDING,
                    now,
                ),
            )
            if cursor.rowcount != 1:
                return None
            row = conn.execute(
                "SELECT attempts, sending_since FROM alert_deliveries "
                "WHERE proposal_id = ? AND kind = ? AND recipient = ?",
                (d.proposal_id, d.kind, d.recipient),
            ).fetchone()
        return Delivery(d.proposal_id, d.kind, d.recipient, int(row[0]) - 1, row[1])

    def sent(self, d: Delivery, channel: str, ts: str) -> None:
        self._set(d, "state = ?, channel = ?, ts = ?, claimed_until = NULL", SENT, channel, ts)

    def failed(self, d: Delivery, retry_at: float) -> None:
        self._set(d, "state = ?, next_at = ?, claimed_until = NULL", PENDING, retry_at)

    def moot(self, d: Delivery) -> None:
        self._set(d, "state = ?, claimed_until = NULL", MOOT)

    def _set(self, d: Delivery, assignments: str, *values: object) -> None:
        self.store.conn.execute(
            f"UPDATE alert_deliveries SET {assignments} "
            "WHERE proposal_id = ? AND kind = ? AND recipient = ?",
            (*values, d.proposal_id, d.kind, d.recipient),
        )

    def messages(self, proposal_id: int) -> list[tuple[str, str, str]]:
        """(kind, channel, ts) of every copy of the project's alerts in Slack."""
        rows = self.store.conn.execute(
            "SELECT kind, channel, ts FROM alert_deliveries "
            "WHERE proposal_id = ? AND state = ? ORDER BY kind, recipient",
            (proposal_id, SENT),
        ).fetchall()
        return [(str(r[0]), str(r[1]), str(r[2])) for r in rows]

    def states(self, proposal_id: int, kind: str) -> dict[str, str]:
        rows = self.store.conn.execute(
            "SELECT recipient, state FROM alert_deliveries WHERE proposal_id = ? AND kind = ?",
            (proposal_id, kind),
        ).fetchall()
        return {str(r[0]): str(r[1]) for r in rows}

    def decide(self, proposal_id: int, kind: str, organizer: str, outcome: str) -> None:
        now = time.time()
        self.store.conn.execute(
            "INSERT INTO alerts (proposal_id, kind, state, claimed_at, handled_by, handled_at, "
            "outcome) VALUES (?, ?, 'claimed', ?, ?, ?, ?) ON CONFLICT(proposal_id, kind) DO "
            "UPDATE SET handled_by = excluded.handled_by, handled_at = excluded.handled_at, "
            "outcome = excluded.outcome",
            (proposal_id, kind, now, organizer, now, outcome),
        )

    def decision(self, proposal_id: int, kind: str) -> Decision | None:
        row = self.store.conn.execute(
            "SELECT handled_by, handled_at, outcome FROM alerts "
            "WHERE proposal_id = ? AND kind = ? AND handled_by IS NOT NULL",
            (proposal_id, kind),
        ).fetchone()
        return None if row is None else Decision(str(row[0]), float(row[1]), str(row[2]))

    def left_at_not_yet(self, kind: str, quiet_since: float) -> list[int]:
        """Projects whose `kind` alert an organizer answered "Not yet", with neither that
        answer nor a reminder of it after `quiet_since`."""
        rows = self.store.conn.execute(
            "SELECT proposal_id FROM alerts WHERE kind = ? AND outcome = 'not_yet' "
            "AND MAX(handled_at, COALESCE(reminded_at, 0)) <= ?",
            (kind, quiet_since),
        ).fetchall()
        return [int(r[0]) for r in rows]

    def claim_reminder(self, proposal_id: int, kind: str, quiet_since: float, now: float) -> bool:
        """Take the reminder of this period (one row update, in the caller's transaction if
        any): False if another process took it, or an organizer answered, after
        `quiet_since`."""
        cursor = self.store.conn.execute(
            "UPDATE alerts SET reminded_at = ? WHERE proposal_id = ? AND kind = ? "
            "AND MAX(handled_at, COALESCE(reminded_at, 0)) <= ?",
            (now, proposal_id, kind, quiet_since),
        )
        return cursor.rowcount != 0

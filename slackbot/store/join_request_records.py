"""Requests to join an official team: one per project and person, decided once by an
organizer ("approved" or "declined"). A declined request may be asked again, which opens it
anew; a pending or approved one stays as it is."""

from __future__ import annotations

import time

from slackbot.store.db import Store


class JoinRequests:
    def __init__(self, store: Store) -> None:
        self.store = store

    def ask(self, proposal_id: int, user_id: str, now: float | None = None) -> bool:
        """Record the request (in the caller's transaction, if any): a new one, or a declined
        one asked again. False if it is pending or was approved already (nothing changes)."""
        now = time.time() if now is None else now
        cursor = self.store.conn.execute(
            "INSERT INTO join_requests (proposal_id, user_id, asked_at) VALUES (?, ?, ?) "
            "ON CONFLICT (proposal_id, user_id) DO UPDATE SET asked_at = excluded.asked_at, "
            "decided_by = NULL, decided_at = NULL, outcome = NULL "
            "WHERE join_requests.outcome = 'declined'",
            (proposal_id, user_id, now),
        )
        return cursor.rowcount != 0

    def decide(
        self,
        proposal_id: int,
        user_id: str,
        organizer: str,
        outcome: str,
        now: float | None = None,
    ) -> bool:
        """Record `organizer`'s decision on an open request; False if it was decided already
        (the first decision wins)."""
        now = time.time() if now is None else now
        cursor = self.store.conn.execute(
            "UPDATE join_requests SET decided_by = ?, decided_at = ?, outcome = ? "
            "WHERE proposal_id = ? AND user_id = ? AND outcome IS NULL",
            (organizer, now, outcome, proposal_id, user_id),
        )
        return cursor.rowcount == 1

    def decision(self, proposal_id: int, user_id: str) -> tuple[str, str] | None:
        """(outcome, organizer) of a decided request; None if there is none, or it is open."""
        row = self.store.conn.execute(
            "SELECT outcome, decided_by FROM join_requests WHERE proposal_id = ? AND user_id = ? "
            "AND outcome IS NOT NULL",
            (proposal_id, user_id),
        ).fetchone()
        return None if row is None else (str(row[0]), str(row[1]))

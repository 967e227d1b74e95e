"""The demo submissions (one per official team), their announcements' message ids, the
reminders sent to teams without one, and the winners' announcement."""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

from slackbot.domain.demo_submission import DemoDraft, DemoSubmission
from slackbot.store.db import Store

_COLUMNS = (
    "proposal_id, demo_url, summary, models, video_url, jury_note, submitted_by, submitted_at, "
    "updated_by, updated_at, version"
)


_PART = {"thread": "thread_tried", "line": "line_tried"}  # the columns, never user text


def _submission(row: sqlite3.Row | tuple[Any, ...]) -> DemoSubmission:
    return DemoSubmission(
        proposal_id=int(row[0]),
        demo_url=str(row[1]),
        summary=str(row[2]),
        models=str(row[3]),
        video_url=str(row[4]),
        jury_note=str(row[5]),
        submitted_by=str(row[6]),
        submitted_at=float(row[7]),
        updated_by=str(row[8]),
        updated_at=float(row[9]),
        version=int(row[10]),
    )


class DemoSubmissions:
    def __init__(self, store: Store) -> None:
        self.store = store

    # --- teams -------------------------------------------------------------------------------
    def official_ids(self) -> list[int]:
        """Every official team (the proposal's id), in order."""
        return [
            int(r[0])
            for r in self.store.tuples(
                "SELECT id FROM proposals WHERE status = 'official' ORDER BY id"
            )
        ]

    def official_candidates(self, user_id: str) -> list[int]:
        """Official teams `user_id` proposed or asked to be in (the caller checks the team's
        members: someone on a waitlist is not in it)."""
        return [
            int(r[0])
            for r in self.store.tuples(
                "SELECT id FROM proposals WHERE status = 'official' AND (proposer_id = ? OR id IN "
                "(SELECT proposal_id FROM wishes WHERE user_id = ?)) ORDER BY id",
                (user_id, user_id),
            )
        ]

    def team_of_channel(self, channel_id: str) -> int | None:
        """The official team whose channel this is (None: no team's)."""
        rows = self.store.tuples(
            "SELECT proposal_id FROM teams WHERE channel_id = ? AND made_by IS NOT NULL",
            (channel_id,),
        )
        return int(rows[0][0]) if rows else None

    # --- submissions ---------------------------------------------------------------------------
    def get(self, proposal_id: int) -> DemoSubmission | None:
        row = self.store.conn.execute(
            f"SELECT {_COLUMNS} FROM demo_submissions WHERE proposal_id = ?", (proposal_id,)
        ).fetchone()
        return None if row is None else _submission(row)

    def all(self) -> list[DemoSubmission]:
        rows = self.store.tuples(f"SELECT {_COLUMNS} FROM demo_submissions ORDER BY proposal_id")
        return [_submission(r) for r in rows]

    def count(self) -> int:
        return int(self.store.conn.execute("SELECT COUNT(*) FROM demo_submissions").fetchone()[0])

    def save(self, proposal_id: int, draft: DemoDraft, user: str) -> DemoSubmission:
        """Store the team's submission, or its new version (the caller holds the transaction)."""
        d = draft.cleaned()
        now = time.time()
        self.store.conn.execute(
            "INSERT INTO demo_submissions (proposal_id, demo_url, summary, models, video_url, "
            "jury_note, submitted_by, submitted_at, updated_by, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(proposal_id) DO UPDATE SET "
            "demo_url = excluded.demo_url, summary = excluded.summary, models = excluded.models, "
            "video_url = excluded.video_url, jury_note = excluded.jury_note, "
            "updated_by = excluded.updated_by, updated_at = excluded.updated_at, "
            "version = demo_submissions.version + 1",
            (
                proposal_id,
                d.demo_url,
                d.summary,
                d.models,
                d.video_url,
                d.jury_note,
                user,
                now,
                user,
                now,
            ),
        )
        saved = self.get(proposal_id)
        assert saved is not None
        return saved

    # --- announcements -----------------------------------------------------------------------
    def announced(self, proposal_id: int) -> tuple[str | None, str | None, int]:
        """(the thread reply's ts, the channel line's ts, the version they show)."""
        row = self.store.conn.execute(
            "SELECT thread_ts, line_ts, announced_version FROM demo_submissions "
            "WHERE proposal_id = ?",
            (proposal_id,),
        ).fetchone()
        return (None, None, 0) if row is None else (row[0], row[1], int(row[2]))

    def unannounced(self) -> list[int]:
        """Submissions whose announcement is missing, half-done or older than the submission."""
        return [
            int(r[0])
            for r in self.store.tuples(
                "SELECT proposal_id FROM demo_submissions WHERE thread_ts IS NULL "
                "OR line_ts IS NULL OR announced_version < version ORDER BY proposal_id"
            )
        ]

    def claim_announcement(self, proposal_id: int, *, hold: float = 60.0) -> bool:
        """One process announces a submission at a time."""
        now = time.time()
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "UPDATE demo_submissions SET claimed_until = ? WHERE proposal_id = ? "
                "AND claimed_until <= ?",
                (now + hold, proposal_id, now),
            )
            return cursor.rowcount == 1

    def release_announcement(self, proposal_id: int) -> None:
        self.store.conn.execute(
            "UPDATE demo_submissions SET claimed_until = 0 WHERE proposal_id = ?", (proposal_id,)
        )

    def tried(self, proposal_id: int, part: str) -> bool:
        """Was the announcement's `part` ("thread" or "line") ever sent to Slack?"""
        column = _PART[part]
        row = self.store.conn.execute(
            f"SELECT {column} FROM demo_submissions WHERE proposal_id = ?", (proposal_id,)
        ).fetchone()
        return bool(row and row[0])

    def mark_tried(self, proposal_id: int, part: str) -> None:
        """Said (and committed) before the message is sent."""
        self.store.conn.execute(
            f"UPDATE demo_submissions SET {_PART[part]} = 1 WHERE proposal_id = ?", (proposal_id,)
        )

    def set_thread_ts(self, proposal_id: int, ts: str) -> None:
        self.store.conn.execute(
            "UPDATE demo_submissions SET thread_ts = ? WHERE proposal_id = ?", (ts, proposal_id)
        )

    def set_line_ts(self, proposal_id: int, ts: str) -> None:
        self.store.conn.execute(
            "UPDATE demo_submissions SET line_ts = ? WHERE proposal_id = ?", (ts, proposal_id)
        )

    def set_announced_version(self, proposal_id: int, version: int) -> None:
        self.store.conn.execute(
            "UPDATE demo_submissions SET announced_version = MAX(announced_version, ?) "
            "WHERE proposal_id = ?",
            (version, proposal_id),
        )

    # --- reminders ---------------------------------------------------------------------------
    def claim_reminder(self, proposal_id: int, kind: str, deadline: float) -> bool:
        """True for the one caller that sends this reminder for this deadline."""
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO demo_reminders (proposal_id, kind, deadline, sent_at) "
                "VALUES (?, ?, ?, ?)",
                (proposal_id, kind, deadline, time.time()),
            )
            return cursor.rowcount == 1

    def unclaim_reminder(self, proposal_id: int, kind: str, deadline: float) -> None:
        """The reminder could not be sent: the next pass tries again."""
        self.store.conn.execute(
            "DELETE FROM demo_reminders WHERE proposal_id = ? AND kind = ? AND deadline = ?",
            (proposal_id, kind, deadline),
        )

    def reminders(self) -> list[tuple[int, str]]:
        return [
            (int(r[0]), str(r[1]))
            for r in self.store.tuples(
                "SELECT proposal_id, kind FROM demo_reminders ORDER BY sent_at"
            )
        ]

    # --- winners -----------------------------------------------------------------------------
    def claim_winners(self, winners: list[int], organizer: str) -> bool:
        """True for the one organizer whose command announces the winners."""
        cursor = self.store.conn.execute(
            "INSERT OR IGNORE INTO demo_winners (id, winners, announced_by, at) "
            "VALUES (1, ?, ?, ?)",
            (json.dumps(winners), organizer, time.time()),
        )
        return cursor.rowcount == 1

    def winners(self) -> tuple[list[int], str, str | None, str | None] | None:
        """(the winners in order, who announced them, channel, ts), or None."""
        row = self.store.conn.execute(
            "SELECT winners, announced_by, channel, ts FROM demo_winners WHERE id = 1"
        ).fetchone()
        if row is None:
            return None
        return [int(i) for i in json.loads(row[0])], str(row[1]), row[2], row[3]

    def winners_claimed_at(self) -> float | None:
        row = self.store.conn.execute("SELECT at FROM demo_winners WHERE id = 1").fetchone()
        return None if row is None else float(row[0])

    def set_winners_message(self, channel: str, ts: str) -> None:
        self.store.conn.execute(
            "UPDATE demo_winners SET channel = ?, ts = ? WHERE id = 1", (channel, ts)
        )

    def forget_winners(self) -> None:
        """The announcement could not be posted: the organizer may run the command again."""
        self.store.conn.execute("DELETE FROM demo_winners WHERE id = 1 AND ts IS NULL")

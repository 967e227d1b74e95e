"""Proposals: how they are stored, found, claimed for posting and marked posted.

A proposal is stored before it is posted, as `pending`; posting is claimed with a lease in the
database so that the submission handler and the retry job (possibly in another process) never
post the same proposal twice.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from enum import Enum
from typing import Any

from slackbot.domain.similarity import Idea, idea_of, idea_terms
from slackbot.domain.template import SECTIONS
from slackbot.domain.validation import Draft
from slackbot.store.claims import this_process
from slackbot.store.db import Store


class Status(str, Enum):
    PENDING = "pending"  # stored, not yet in the channel
    OPEN = "open"  # posted, gathering a team
    OFFICIAL = "official"  # organizers made the team official
    CLOSED = "closed"  # closed by organizers
    WITHDRAWN = "withdrawn"  # withdrawn by the proposer


LIVE_STATUSES = (Status.OPEN, Status.OFFICIAL)
# Longer than the background client can take on one call (timeouts, 3 rate-limit waits, 2
# server-error retries), so a lease never expires while its holder is still posting.
POST_LEASE_SECONDS = 300.0


@dataclass
class Proposal:
    id: int
    proposer_id: str
    status: Status
    answers: dict[str, str]
    languages: list[str]
    language_other: str = ""
    min_team_size: int | None = None
    max_team_size: int | None = None
    channel: str | None = None
    ts: str | None = None
    permalink: str | None = None
    post_attempts: int = 0
    last_post_error: str | None = None
    post_started_at: float | None = None
    created_at: float = 0.0
    updated_at: float = 0.0
    edited_at: float | None = None
    posted_at: float | None = None
    variants: list[int] | None = None  # the same idea in other languages
    compute: str | None = None  # what organizers gave the team (e.g. a TPU name and zone)

    @property
    def name(self) -> str:
        return self.answers.get("name", "")

    @property
    def draft(self) -> Draft:
        return Draft(
            answers=dict(self.answers),
            languages=list(self.languages),
            language_other=self.language_other,
            min_team_size=self.min_team_size,
        )

    @property
    def language_names(self) -> list[str]:
        return self.draft.language_names()

    @property
    def is_posted(self) -> bool:
        return self.ts is not None

    @classmethod
    def from_row(cls, row: sqlite3.Row | dict[str, Any]) -> Proposal:
        data = dict(row)
        answers = {s.id: data.get(s.id) or "" for s in SECTIONS if s.id != "languages"}
        return cls(
            id=int(data["id"]),
            proposer_id=data["proposer_id"],
            status=Status(data["status"]),
            answers=answers,
            languages=json.loads(data.get("languages") or "[]"),
            language_other=data.get("language_other") or "",
            min_team_size=data.get("min_team_size"),
            max_team_size=data.get("max_team_size"),
            channel=data.get("channel"),
            ts=data.get("ts"),
            permalink=data.get("permalink"),
            post_attempts=data.get("post_attempts") or 0,
            last_post_error=data.get("last_post_error"),
            post_started_at=data.get("post_started_at"),
            created_at=data.get("created_at") or 0.0,
            updated_at=data.get("updated_at") or 0.0,
            edited_at=data.get("edited_at"),
            posted_at=data.get("posted_at"),
            variants=json.loads(data["variants"]) if data.get("variants") else None,
            compute=data.get("compute"),
        )


def idea_of_draft(draft: Draft) -> Idea:
    return idea_of(
        draft.get("name"),
        draft.get("description"),
        draft.get("model"),
        draft.get("datasets"),
        draft.languages + [n.lower() for n in draft.language_names() if n.lower() != "other"],
    )


def draft_columns(draft: Draft) -> dict[str, Any]:
    """The database columns that hold a draft's answers (and its normalised idea)."""
    columns: dict[str, Any] = {
        s.id: draft.get(s.id) or None for s in SECTIONS if s.id != "languages"
    }
    columns["languages"] = json.dumps(draft.languages)
    columns["language_other"] = draft.language_other.strip() or None
    columns["idea_terms"] = idea_terms(idea_of_draft(draft))
    return columns


class Proposals:
    """Repository of proposals."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def create(
        self,
        draft: Draft,
        proposer_id: str,
        *,
        submission_key: str,
        min_team_size: int | None = None,
        variants: list[int] | None = None,
    ) -> tuple[Proposal, bool]:
        """Store a new pending proposal. Idempotent on `submission_key` (the modal's view id):
        a repeated submission returns the proposal already stored and False."""
        now = time.time()
        columns = draft_columns(draft)
        columns.update(
            submission_key=submission_key,
            proposer_id=proposer_id,
            status=Status.PENDING.value,
            min_team_size=min_team_size,
            variants=json.dumps(variants) if variants else None,
            post_attempts=0,
            created_at=now,
            updated_at=now,
        )
        names = ", ".join(columns)
        marks = ", ".join("?" for _ in columns)
        with self.store.transaction() as conn:
            cursor = conn.execute(
                f"INSERT OR IGNORE INTO proposals ({names}) VALUES ({marks})",
                list(columns.values()),
            )
            created = cursor.rowcount == 1
            row = conn.execute(
                "SELECT * FROM proposals WHERE submission_key = ?", (submission_key,)
            ).fetchone()
        return Proposal.from_row(row), created

    def get(self, proposal_id: int) -> Proposal | None:
        row = self.store.conn.execute(
            "SELECT * FROM proposals WHERE id = ?", (proposal_id,)
        ).fetchone()
        return None if row is None else Proposal.from_row(row)

    def by_message(self, channel: str, ts: str) -> Proposal | None:
        row = self.store.conn.execute(
            "SELECT * FROM proposals WHERE channel = ? AND ts = ?", (channel, ts)
        ).fetchone()
        return None if row is None else Proposal.from_row(row)

    def get_many(self, ids: list[int]) -> dict[int, Proposal]:
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        rows = self.store.conn.execute(
            f"SELECT * FROM proposals WHERE id IN ({marks})", ids
        ).fetchall()
        return {int(r["id"]): Proposal.from_row(r) for r in rows}

    def with_status(self, *statuses: Status) -> list[Proposal]:
        marks = ", ".join("?" for _ in statuses)
        rows = self.store.conn.execute(
            f"SELECT * FROM proposals WHERE status IN ({marks}) ORDER BY id",
            [s.value for s in statuses],
        ).fetchall()
        return [Proposal.from_row(r) for r in rows]

    def by_proposer(self, user_id: str) -> list[Proposal]:
        rows = self.store.conn.execute(
            "SELECT * FROM proposals WHERE proposer_id = ? ORDER BY id DESC", (user_id,)
        ).fetchall()
        return [Proposal.from_row(r) for r in rows]

    def candidates(self, words: list[str], limit: int = 50) -> list[Proposal]:
        """Live proposals whose normalised idea shares any of `words`, best BM25 first."""
        if not words:
            return []
        query = "idea_terms : (" + " OR ".join(f'"{w}"' for w in words) + ")"
        rows = self.store.conn.execute(
            "SELECT p.* FROM proposals_fts JOIN proposals p ON p.id = proposals_fts.rowid "
            "WHERE proposals_fts MATCH ? AND p.status IN (?, ?) ORDER BY proposals_fts.rank "
            "LIMIT ?",
            (query, Status.OPEN.value, Status.OFFICIAL.value, limit),
        ).fetchall()
        return [Proposal.from_row(r) for r in rows]

    # --- changes after posting -----------------------------------------------------------
    def update_answers(self, proposal_id: int, draft: Draft) -> Proposal:
        """The proposer's edit: new answers (the search index follows by trigger)."""
        columns = draft_columns(draft)
        now = time.time()
        columns.update(edited_at=now, updated_at=now)
        assignments = ", ".join(f"{name} = ?" for name in columns)
        with self.store.transaction() as conn:
            conn.execute(
                f"UPDATE proposals SET {assignments} WHERE id = ?",
                [*columns.values(), proposal_id],
            )
            # The proposer's own minimum, unless organizers have set this project's limits.
            conn.execute(
                "UPDATE proposals SET min_team_size = ? WHERE id = ? AND max_team_size IS NULL",
                (draft.min_team_size, proposal_id),
            )
            row = conn.execute("SELECT * FROM proposals WHERE id = ?", (proposal_id,)).fetchone()
        return Proposal.from_row(row)

    def set_status(self, proposal_id: int, status: Status) -> None:
        self.store.conn.execute(
            "UPDATE proposals SET status = ?, updated_at = ? WHERE id = ?",
            (status.value, time.time(), proposal_id),
        )

    def set_limits(self, proposal_id: int, minimum: int | None, maximum: int | None) -> None:
        self.store.conn.execute(
            "UPDATE proposals SET min_team_size = ?, max_team_size = ?, updated_at = ? "
            "WHERE id = ?",
            (minimum, maximum, time.time(), proposal_id),
        )

    def set_compute(self, proposal_id: int, compute: str) -> None:
        self.store.conn.execute(
            "UPDATE proposals SET compute = ?, updated_at = ? WHERE id = ?",
            (compute or None, time.time(), proposal_id),
        )

    # --- drafts held during the similar-project step ----------------------------------------
    def hold_draft(self, key: str, user_id: str, draft: Draft) -> None:
        self.store.conn.execute(
            "INSERT INTO drafts (key, user_id, draft, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET draft = excluded.draft",
            (key, user_id, draft.to_json(), time.time()),
        )

    def held_draft(self, key: str, user_id: str) -> Draft | None:
        """The held draft, only for the person who wrote it."""
        row = self.store.conn.execute(
            "SELECT draft FROM drafts WHERE key = ? AND user_id = ?", (key, user_id)
        ).fetchone()
        return None if row is None else Draft.from_json(row[0])

    def live_posts(self, channel: str) -> dict[str, int]:
        """ts -> id of every open or official proposal posted in `channel`."""
        rows = self.store.conn.execute(
            "SELECT ts, id FROM proposals WHERE status IN (?, ?) AND channel = ? "
            "AND ts IS NOT NULL",
            (Status.OPEN.value, Status.OFFICIAL.value, channel),
        ).fetchall()
        return {str(r[0]): int(r[1]) for r in rows}

    def last_reconciled(self, channel: str) -> float | None:
        """When the live post reconciled longest ago was reconciled (None: one never was)."""
        row = self.store.conn.execute(
            "SELECT MIN(COALESCE(reconciled_at, 0)) FROM proposals WHERE status IN (?, ?) "
            "AND channel = ? AND ts IS NOT NULL",
            (Status.OPEN.value, Status.OFFICIAL.value, channel),
        ).fetchone()
        return None if row is None or not row[0] else float(row[0])

    # --- posting -------------------------------------------------------------------------
    def claim_for_posting(self, proposal_id: int, *, now: float | None = None) -> Proposal | None:
        """Take the posting lease of a pending proposal, or None if it is posted or leased."""
        now = time.time() if now is None else now
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "UPDATE proposals SET post_claim_until = ?, post_owner = ?, "
                "post_attempts = post_attempts + 1, "
                "post_started_at = COALESCE(post_started_at, ?) "
                "WHERE id = ? AND status = ? AND ts IS NULL "
                "AND (post_claim_until IS NULL OR post_claim_until < ?)",
                (
                    now + POST_LEASE_SECONDS,
                    this_process(),
                    now,
                    proposal_id,
                    Status.PENDING.value,
                    now,
                ),
            )
            if cursor.rowcount != 1:
                return None
            row = conn.execute("SELECT * FROM proposals WHERE id = ?", (proposal_id,)).fetchone()
        return Proposal.from_row(row)

    def mark_posted(
        self, proposal_id: int, *, channel: str, ts: str, permalink: str
    ) -> tuple[Proposal, bool]:
        """Record the post; False if another worker had recorded one already."""
        now = time.time()
        with self.store.transaction() as conn:
            cursor = conn.execute(
                # A proposal withdrawn while it was being posted stays withdrawn.
                "UPDATE proposals SET status = CASE WHEN status = ? THEN ? ELSE status END, "
                "channel = ?, ts = ?, permalink = ?, posted_at = ?, updated_at = ?, "
                "post_claim_until = NULL, last_post_error = NULL WHERE id = ? AND ts IS NULL",
                (
                    Status.PENDING.value,
                    Status.OPEN.value,
                    channel,
                    ts,
                    permalink,
                    now,
                    now,
                    proposal_id,
                ),
            )
            row = conn.execute("SELECT * FROM proposals WHERE id = ?", (proposal_id,)).fetchone()
        return Proposal.from_row(row), cursor.rowcount == 1

    def mark_post_failed(self, proposal_id: int, error: str) -> None:
        self.store.conn.execute(
            "UPDATE proposals SET post_claim_until = NULL, last_post_error = ?, updated_at = ? "
            "WHERE id = ? AND ts IS NULL",
            (error[:500], time.time(), proposal_id),
        )

    def posting_now(self, now: float | None = None) -> bool:
        """Is some proposal being posted right now (its posting lease held)?"""
        now = time.time() if now is None else now
        row = self.store.conn.execute(
            "SELECT 1 FROM proposals WHERE status = ? AND ts IS NULL AND post_claim_until > ? "
            "LIMIT 1",
            (Status.PENDING.value, now),
        ).fetchone()
        return row is not None

    def roster_hash(self, proposal_id: int) -> str | None:
        row = self.store.conn.execute(
            "SELECT last_roster_hash FROM proposals WHERE id = ?", (proposal_id,)
        ).fetchone()
        return None if row is None else row[0]

    def set_roster_hash(self, proposal_id: int, digest: str) -> None:
        self.store.conn.execute(
            "UPDATE proposals SET last_roster_hash = ? WHERE id = ?", (digest, proposal_id)
        )

    def pending_ids(self) -> list[int]:
        rows = self.store.conn.execute(
            "SELECT id FROM proposals WHERE status = ? AND ts IS NULL ORDER BY id",
            (Status.PENDING.value,),
        ).fetchall()
        return [int(r[0]) for r in rows]

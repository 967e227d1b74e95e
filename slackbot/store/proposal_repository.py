"""Where proposals are kept: stored before they are posted (`pending`), claimed for posting with
a lease (so the submission and the retry job, possibly in another process, never post the same
proposal twice), marked posted, edited, and found by message, proposer or search words.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable
from typing import Any

from slackbot.domain.post_record import PostRecord
from slackbot.domain.proposal import LIVE, Proposal, Status, idea_of_draft
from slackbot.domain.similarity import Idea, idea_from_json, idea_terms, idea_to_json
from slackbot.domain.template import SECTIONS
from slackbot.domain.validation import Draft
from slackbot.store.claims import this_process
from slackbot.store.db import Store
from slackbot.store.standing_columns import StandingColumns

# Longer than the background client can take on one call (timeouts, 3 rate-limit waits, 2
# server-error retries), so a lease never expires while its holder is still posting.
POST_LEASE_SECONDS = 300.0
LIVE_VALUES = tuple(s.value for s in LIVE)
LIVE_MARKS = ", ".join("?" for _ in LIVE)  # status IN (…) of a live proposal


def proposal_from_row(row: sqlite3.Row | dict[str, Any]) -> Proposal:
    data = dict(row)
    answers = {s.id: data.get(s.id) or "" for s in SECTIONS if s.id != "languages"}
    return Proposal(
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
        second_of=data.get("second_of"),
    )


def draft_columns(draft: Draft, model_tasks: Iterable[str] = ()) -> dict[str, Any]:
    """The database columns that hold a draft's answers (and its normalised idea)."""
    columns: dict[str, Any] = {
        s.id: draft.get(s.id) or None for s in SECTIONS if s.id != "languages"
    }
    columns["languages"] = json.dumps(draft.languages)
    columns["language_other"] = draft.language_other.strip() or None
    idea = idea_of_draft(draft, model_tasks)
    columns["idea_terms"] = idea_terms(idea)
    columns["idea"] = idea_to_json(idea)
    return columns


class Proposals:
    """Repository of proposals."""

    def __init__(self, store: Store, standings: StandingColumns) -> None:
        self.store = store
        self.standings = standings  # a change of status, limits or post: its ranking columns

    def create(
        self,
        draft: Draft,
        proposer_id: str,
        *,
        submission_key: str,
        min_team_size: int | None = None,
        variants: list[int] | None = None,
        second_of: int | None = None,
        model_tasks: Iterable[str] = (),
    ) -> tuple[Proposal, bool]:
        """Store a new pending proposal. Idempotent on `submission_key` (the modal's view id):
        a repeated submission returns the proposal already stored and False. The earlier
        proposals of the same idea in other languages (`variants`) get this one as theirs too,
        so their posts link back."""
        now = time.time()
        columns = draft_columns(draft, model_tasks)
        columns.update(
            submission_key=submission_key,
            proposer_id=proposer_id,
            status=Status.PENDING.value,
            min_team_size=min_team_size,
            variants=json.dumps(variants) if variants else None,
            second_of=second_of,
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
            if created:
                for earlier in variants or []:
                    conn.execute(
                        "UPDATE proposals SET variants = json_insert(COALESCE(variants, '[]'), "
                        "'$[#]', ?) WHERE id = ?",
                        (row["id"], earlier),
                    )
        return proposal_from_row(row), created

    def restore(self, record: PostRecord, *, channel: str, ts: str, permalink: str) -> bool:
        """Store a proposal as its post's record says (a rebuild from Slack): its own id, its
        status, its post. False if a proposal with that id or post is stored already."""
        draft = Draft(
            answers=dict(record.answers),
            languages=list(record.languages),
            language_other=record.language_other,
            min_team_size=record.min_team_size,
        )
        columns = draft_columns(draft)
        columns.update(
            id=record.proposal_id,
            submission_key=f"rebuilt:{channel}:{ts}",
            proposer_id=record.proposer_id,
            status=record.status.value,
            min_team_size=record.min_team_size,
            max_team_size=record.max_team_size,
            variants=json.dumps(record.variants) if record.variants else None,
            second_of=record.second_of,
            channel=channel,
            ts=ts,
            permalink=permalink,
            post_attempts=1,
            created_at=record.created_at,
            updated_at=time.time(),
            edited_at=record.edited_at,
            posted_at=record.posted_at or float(ts),
        )
        names = ", ".join(columns)
        marks = ", ".join("?" for _ in columns)
        with self.store.transaction() as conn:
            if conn.execute(
                "SELECT 1 FROM proposals WHERE id = ? OR (channel = ? AND ts = ?)",
                (record.proposal_id, channel, ts),
            ).fetchone():
                return False
            conn.execute(
                f"INSERT INTO proposals ({names}) VALUES ({marks})", list(columns.values())
            )
            self.standings.refresh(record.proposal_id)
        return True

    def catch_up(self, record: PostRecord, *, channel: str, ts: str, permalink: str) -> None:
        """A stored proposal brought up to what its post's record says (a start after a
        restore): its post, its status, its sizes and, if edited since, its answers."""
        stored = self.get(record.proposal_id)
        if stored is None:
            return
        columns: dict[str, Any] = {
            "status": record.status.value,
            "min_team_size": record.min_team_size,
            "max_team_size": record.max_team_size,
            "updated_at": time.time(),
        }
        if stored.ts is None:
            columns.update(
                channel=channel,
                ts=ts,
                permalink=permalink,
                posted_at=record.posted_at or float(ts),
                post_claim_until=None,
                last_post_error=None,
            )
        if (record.edited_at or 0.0) > (stored.edited_at or 0.0):
            draft = Draft(
                answers=dict(record.answers),
                languages=list(record.languages),
                language_other=record.language_other,
                min_team_size=record.min_team_size,
            )
            columns.update(draft_columns(draft), edited_at=record.edited_at)
        assignments = ", ".join(f"{name} = ?" for name in columns)
        with self.store.transaction() as conn:
            conn.execute(
                f"UPDATE proposals SET {assignments} WHERE id = ?",
                [*columns.values(), record.proposal_id],
            )
            self.standings.refresh(record.proposal_id)

    def mark_post_gone(self, proposal_id: int) -> bool:
        """Its post is no longer in Slack (deleted by an admin); True the first time."""
        cursor = self.store.conn.execute(
            "UPDATE proposals SET post_gone_at = ? WHERE id = ? AND post_gone_at IS NULL",
            (time.time(), proposal_id),
        )
        return cursor.rowcount == 1

    def gone_posts(self) -> list[Proposal]:
        rows = self.store.conn.execute(
            "SELECT * FROM proposals WHERE post_gone_at IS NOT NULL ORDER BY id"
        ).fetchall()
        return [proposal_from_row(r) for r in rows]

    def count(self) -> int:
        """How many proposals are stored (a new or lost database has none)."""
        return int(self.store.conn.execute("SELECT COUNT(*) FROM proposals").fetchone()[0])

    def second_teams(self, proposal_id: int) -> list[Proposal]:
        """The teams started as second teams of this project (and, for a second team, its
        first), oldest first."""
        rows = self.store.conn.execute(
            "SELECT * FROM proposals WHERE second_of = ? OR id = (SELECT second_of FROM "
            "proposals WHERE id = ?) OR (second_of IS NOT NULL AND second_of = (SELECT "
            "second_of FROM proposals WHERE id = ?) AND id != ?) ORDER BY id",
            (proposal_id, proposal_id, proposal_id, proposal_id),
        ).fetchall()
        return [proposal_from_row(r) for r in rows]

    def backfill_ideas(self) -> int:
        """Derive the idea of proposals stored without one (a database from before ideas were
        kept), with today's rules; returns how many."""
        rows = self.store.conn.execute(
            "SELECT * FROM proposals WHERE idea_terms IS NULL OR idea IS NULL"
        ).fetchall()
        with self.store.transaction() as conn:
            for row in rows:
                idea = idea_of_draft(proposal_from_row(row).draft)
                conn.execute(
                    "UPDATE proposals SET idea_terms = ?, idea = ? WHERE id = ?",
                    (idea_terms(idea), idea_to_json(idea), row["id"]),
                )
        return len(rows)

    def get(self, proposal_id: int) -> Proposal | None:
        row = self.store.conn.execute(
            "SELECT * FROM proposals WHERE id = ?", (proposal_id,)
        ).fetchone()
        return None if row is None else proposal_from_row(row)

    def by_message(self, channel: str, ts: str) -> Proposal | None:
        row = self.store.conn.execute(
            "SELECT * FROM proposals WHERE channel = ? AND ts = ?", (channel, ts)
        ).fetchone()
        return None if row is None else proposal_from_row(row)

    def get_many(self, ids: list[int]) -> dict[int, Proposal]:
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        rows = self.store.conn.execute(
            f"SELECT * FROM proposals WHERE id IN ({marks})", ids
        ).fetchall()
        return {int(r["id"]): proposal_from_row(r) for r in rows}

    def with_status(self, *statuses: Status) -> list[Proposal]:
        marks = ", ".join("?" for _ in statuses)
        rows = self.store.conn.execute(
            f"SELECT * FROM proposals WHERE status IN ({marks}) ORDER BY id",
            [s.value for s in statuses],
        ).fetchall()
        return [proposal_from_row(r) for r in rows]

    def by_proposer(self, user_id: str) -> list[Proposal]:
        rows = self.store.conn.execute(
            "SELECT * FROM proposals WHERE proposer_id = ? ORDER BY id DESC", (user_id,)
        ).fetchall()
        return [proposal_from_row(r) for r in rows]

    def candidates(self, words: list[str], limit: int = 50) -> list[tuple[Proposal, Idea]]:
        """Live proposals whose normalised idea shares any of `words`, best BM25 first, each
        with its idea as stored."""
        if not words:
            return []
        query = "idea_terms : (" + " OR ".join(f'"{w}"' for w in words) + ")"
        rows = self.store.conn.execute(
            "SELECT p.* FROM proposals_fts JOIN proposals p ON p.id = proposals_fts.rowid "
            f"WHERE proposals_fts MATCH ? AND p.status IN ({LIVE_MARKS}) "
            "ORDER BY proposals_fts.rank LIMIT ?",
            (query, *LIVE_VALUES, limit),
        ).fetchall()
        return [(proposal_from_row(r), idea_from_json(r["idea"])) for r in rows]

    # --- changes after posting -----------------------------------------------------------
    def update_answers(
        self, proposal_id: int, draft: Draft, model_tasks: Iterable[str] = ()
    ) -> Proposal:
        """The proposer's edit: new answers (the search index follows by trigger) and their
        idea, with the Hub's task of the model (`model_tasks`) when it is known."""
        columns = draft_columns(draft, model_tasks)
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
            self.standings.refresh(proposal_id)
            row = conn.execute("SELECT * FROM proposals WHERE id = ?", (proposal_id,)).fetchone()
        return proposal_from_row(row)

    def rederive_idea(self, proposal_id: int, model_tasks: Iterable[str]) -> bool:
        """The stored idea derived again from the stored answers and the Hub's task of the
        model (an answer that came after the proposal was stored); False when nothing changed
        or the proposal is gone."""
        with self.store.transaction() as conn:
            row = conn.execute("SELECT * FROM proposals WHERE id = ?", (proposal_id,)).fetchone()
            if row is None:
                return False
            idea = idea_of_draft(proposal_from_row(row).draft, model_tasks)
            if row["idea"] == idea_to_json(idea):
                return False
            conn.execute(
                "UPDATE proposals SET idea_terms = ?, idea = ? WHERE id = ?",
                (idea_terms(idea), idea_to_json(idea), proposal_id),
            )
        return True

    def idea(self, proposal_id: int) -> Idea | None:
        """The idea stored for the proposal, as the similar-idea check reads it."""
        row = self.store.conn.execute(
            "SELECT idea FROM proposals WHERE id = ?", (proposal_id,)
        ).fetchone()
        return idea_from_json(row["idea"]) if row is not None and row["idea"] else None

    def set_status(self, proposal_id: int, status: Status) -> None:
        with self.store.transaction():
            self.store.conn.execute(
                "UPDATE proposals SET status = ?, updated_at = ? WHERE id = ?",
                (status.value, time.time(), proposal_id),
            )
            self.standings.refresh(proposal_id)

    def set_limits(self, proposal_id: int, minimum: int | None, maximum: int | None) -> None:
        with self.store.transaction():
            self.store.conn.execute(
                "UPDATE proposals SET min_team_size = ?, max_team_size = ?, updated_at = ? "
                "WHERE id = ?",
                (minimum, maximum, time.time(), proposal_id),
            )
            self.standings.refresh(proposal_id)

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
            f"SELECT ts, id FROM proposals WHERE status IN ({LIVE_MARKS}) AND channel = ? "
            "AND ts IS NOT NULL",
            (*LIVE_VALUES, channel),
        ).fetchall()
        return {str(r[0]): int(r[1]) for r in rows}

    def last_reconciled(self, channel: str) -> float | None:
        """When the live post reconciled longest ago was reconciled (None: one never was)."""
        row = self.store.conn.execute(
            "SELECT MIN(COALESCE(reconciled_at, 0)) FROM proposals "
            f"WHERE status IN ({LIVE_MARKS}) "
            "AND channel = ? AND ts IS NOT NULL",
            (*LIVE_VALUES, channel),
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
        return proposal_from_row(row)

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
            self.standings.refresh(proposal_id)
            row = conn.execute("SELECT * FROM proposals WHERE id = ?", (proposal_id,)).fetchone()
        return proposal_from_row(row), cursor.rowcount == 1

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

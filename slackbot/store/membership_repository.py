"""Where a reaction becomes a membership: join signals stored, teams derived, official teams.

Every change is idempotent and order-independent (see `domain.teams`): a signal is applied only
if it is newer than the one stored for the same person, project and source. The team's size is
kept on the proposal at each change, for the rankings (`store.ranking_queries`).
"""

from __future__ import annotations

import json
import sqlite3
import time

from slackbot.domain.proposal import Proposal, Status
from slackbot.domain.teams import (
    Change,
    Signal,
    Team,
    build_team,
    joiners,
    threshold_for,
)
from slackbot.store.db import Store


class Memberships:
    def __init__(self, store: Store, *, default_threshold: int, default_max: int) -> None:
        self.store = store
        self.default_threshold = default_threshold
        self.default_max = default_max

    # --- reading ---------------------------------------------------------------------------
    def limits(self, proposal: Proposal) -> tuple[int, int]:
        max_size = proposal.max_team_size or self.default_max
        return threshold_for(proposal.min_team_size, self.default_threshold, max_size), max_size

    def team(self, proposal: Proposal) -> Team:
        conn = self.store.conn
        rows = conn.execute(
            "SELECT user_id, source, present, at FROM join_signals WHERE proposal_id = ?",
            (proposal.id,),
        ).fetchall()
        signals = [Signal(r[0], r[1], bool(r[2]), float(r[3])) for r in rows]
        left = dict(
            conn.execute(
                "SELECT user_id, left_at FROM leaves WHERE proposal_id = ?", (proposal.id,)
            ).fetchall()
        )
        threshold, max_size = self.limits(proposal)
        team = build_team(
            proposal.id,
            proposal.proposer_id,
            joiners(signals, left),
            threshold=threshold,
            max_size=max_size,
            official=proposal.status is Status.OFFICIAL,
            withdrawn=proposal.status is Status.WITHDRAWN,
            closed=proposal.status is Status.CLOSED,
        )
        return team

    def official_channel(self, proposal_id: int) -> str | None:
        row = self.store.conn.execute(
            "SELECT channel_id FROM teams WHERE proposal_id = ?", (proposal_id,)
        ).fetchone()
        return None if row is None else row[0]

    def made_official_by(self, proposal_id: int) -> str | None:
        row = self.store.conn.execute(
            "SELECT made_by FROM teams WHERE proposal_id = ? AND made_by IS NOT NULL",
            (proposal_id,),
        ).fetchone()
        return None if row is None else str(row[0])

    def record_official(self, proposal: Proposal, team: Team, organizer: str) -> None:
        """Record the official team (the caller marks the proposal official, in the same
        transaction)."""
        self.store.conn.execute(
            "INSERT INTO teams (proposal_id, name, members, made_by, made_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(proposal_id) DO UPDATE SET name = excluded.name, "
            "members = excluded.members, made_by = excluded.made_by, made_at = excluded.made_at",
            (proposal.id, proposal.name, json.dumps(team.members), organizer, time.time()),
        )

    def refresh_size(self, proposal: Proposal) -> Team:
        """Store the team size again after the limits changed (it is capped at the maximum)."""
        team = self.team(proposal)
        self.store.conn.execute(
            "UPDATE proposals SET team_size = ? WHERE id = ?", (team.size, proposal.id)
        )
        return team

    def undo_official(self, proposal_id: int) -> None:
        """The team is no longer official (the caller reopens the proposal). Its row and
        channel stay, so making it official again reuses the channel."""
        self.store.conn.execute(
            "UPDATE teams SET made_by = NULL, made_at = NULL WHERE proposal_id = ?",
            (proposal_id,),
        )

    def set_team_channel(self, proposal_id: int, channel_id: str, name: str) -> None:
        self.store.conn.execute(
            "UPDATE teams SET channel_id = ?, channel_name = ? WHERE proposal_id = ?",
            (channel_id, name, proposal_id),
        )

    def joined_by(self, user_id: str) -> list[int]:
        """Projects where `user_id` has a join signal on (members or waiting)."""
        rows = self.store.conn.execute(
            "SELECT DISTINCT proposal_id FROM join_signals WHERE user_id = ? AND present = 1 "
            "ORDER BY proposal_id",
            (user_id,),
        ).fetchall()
        return [int(r[0]) for r in rows]

    def official_teams(self) -> dict[int, tuple[str, float]]:
        """proposal id -> (who made it official, when), for every official team."""
        return {
            int(pid): (str(made_by), float(made_at))
            for pid, made_by, made_at in self.store.tuples(
                "SELECT proposal_id, made_by, made_at FROM teams WHERE made_by IS NOT NULL"
            )
        }

    def official_members(self, exclude_proposal: int | None = None) -> dict[str, list[int]]:
        """user -> ids of official teams they are in (the alert warns about doubles)."""
        out: dict[str, list[int]] = {}
        for pid, members in self.store.conn.execute(
            "SELECT proposal_id, members FROM teams WHERE made_by IS NOT NULL"
        ).fetchall():
            if pid == exclude_proposal:
                continue
            for user in json.loads(members):
                out.setdefault(user, []).append(int(pid))
        return out

    def _changed(self, conn: sqlite3.Connection, proposal: Proposal, before: Team) -> Change:
        after = self.team(proposal)
        if after.size != before.size:
            conn.execute(
                "UPDATE proposals SET team_size = ? WHERE id = ?", (after.size, proposal.id)
            )
        return Change(before, after)

    # --- writing ---------------------------------------------------------------------------
    def apply(self, proposal: Proposal, signal: Signal) -> Change:
        """Apply one join signal if it is newer than what is stored for it."""
        with self.store.transaction() as conn:
            before = self.team(proposal)
            conn.execute(
                "INSERT INTO join_signals (proposal_id, user_id, source, present, at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(proposal_id, user_id, source) DO UPDATE SET "
                "present = excluded.present, at = excluded.at WHERE excluded.at > join_signals.at",
                (proposal.id, signal.user_id, signal.source, int(signal.present), signal.at),
            )
            return self._changed(conn, proposal, before)

    def leave(self, proposal: Proposal, user_id: str, at: float | None = None) -> Change:
        at = time.time() if at is None else at
        with self.store.transaction() as conn:
            before = self.team(proposal)
            conn.execute(
                "INSERT INTO leaves (proposal_id, user_id, left_at) VALUES (?, ?, ?) "
                "ON CONFLICT(proposal_id, user_id) "
                "DO UPDATE SET left_at = max(left_at, excluded.left_at)",
                (proposal.id, user_id, at),
            )
            return self._changed(conn, proposal, before)

    def reconcile(
        self, proposal: Proposal, present: set[tuple[str, str]], emoji: list[str], at: float
    ) -> Change:
        """Make the emoji signals match what Slack says now (`present` = {(user, emoji)}),
        except where an event newer than the snapshot (`at`) says otherwise."""
        with self.store.transaction() as conn:
            before = self.team(proposal)
            for user, name in present:
                conn.execute(
                    "INSERT INTO join_signals (proposal_id, user_id, source, present, at) "
                    "VALUES (?, ?, ?, 1, ?) ON CONFLICT(proposal_id, user_id, source) DO UPDATE "
                    "SET present = 1, at = excluded.at "
                    "WHERE join_signals.at < excluded.at AND join_signals.present = 0",
                    (proposal.id, user, name, at),
                )
            marks = ", ".join("?" for _ in emoji)
            stale = conn.execute(
                f"SELECT user_id, source FROM join_signals WHERE proposal_id = ? AND present = 1 "
                f"AND source IN ({marks}) AND at < ?",
                (proposal.id, *emoji, at),
            ).fetchall()
            for user, name in stale:
                if (user, name) not in present:
                    conn.execute(
                        "UPDATE join_signals SET present = 0, at = ? WHERE proposal_id = ? "
                        "AND user_id = ? AND source = ?",
                        (at, proposal.id, user, name),
                    )
            conn.execute(
                "UPDATE proposals SET reconciled_at = ? WHERE id = ?", (time.time(), proposal.id)
            )
            return self._changed(conn, proposal, before)

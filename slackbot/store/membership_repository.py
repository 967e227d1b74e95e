"""Where a reaction becomes a membership: join signals stored, wishes kept, official teams.

A person's join signals (one per join emoji, the Join button, an organizer's move) are
last-writer-wins registers stamped with Slack's event time; a leave outweighs every earlier
signal. From them, `wishes` keeps each person's current wish to join (when it began). A change
touches one person's few rows, and what it did to the team (who joined, who moved up from the
waitlist, who was pushed onto it) is read from the wishes' order around that person, bounded by
the team's maximum: the cost of a reaction does not grow with the number of joins on the post.
`domain.teams.build_team` is the rule this implements; tests/domain/test_membership.py holds
the two together over generated event streams.
"""

from __future__ import annotations

import json
import sqlite3
import time

from slackbot.domain.post_record import JoinRecord, LeaveRecord, OfficialRecord
from slackbot.domain.proposal import Proposal, Status
from slackbot.domain.teams import (
    Change,
    Signal,
    Team,
    TeamSummary,
    build_team,
    combine,
    summarize,
)
from slackbot.store.db import Store
from slackbot.store.standing_columns import StandingColumns


class Memberships:
    def __init__(self, store: Store, standings: StandingColumns) -> None:
        self.store = store
        self.standings = standings

    # --- reading ---------------------------------------------------------------------------
    def limits(self, proposal: Proposal) -> tuple[int, int]:
        return self.standings.limits(proposal.min_team_size, proposal.max_team_size)

    def team(self, proposal: Proposal) -> Team:
        """The whole team, in order (for what people see: the post, the alert, the Home tab)."""
        rows = self.store.conn.execute(
            "SELECT user_id, since FROM wishes WHERE proposal_id = ? ORDER BY since, user_id",
            (proposal.id,),
        ).fetchall()
        threshold, max_size = self.limits(proposal)
        return build_team(
            proposal.id,
            proposal.proposer_id,
            {str(r[0]): float(r[1]) for r in rows},
            threshold=threshold,
            max_size=max_size,
            official=proposal.status is Status.OFFICIAL,
            withdrawn=proposal.status is Status.WITHDRAWN,
            closed=proposal.status is Status.CLOSED,
        )

    def summary(self, proposal: Proposal, wishers: int | None = None) -> TeamSummary:
        if wishers is None:
            wishers = self._wishers(self.store.conn, proposal.id)
        threshold, max_size = self.limits(proposal)
        return summarize(
            wishers,
            threshold=threshold,
            max_size=max_size,
            official=proposal.status is Status.OFFICIAL,
            withdrawn=proposal.status is Status.WITHDRAWN,
            closed=proposal.status is Status.CLOSED,
        )

    def place(self, proposal: Proposal, user_id: str) -> tuple[str, int] | None:
        """("member", 0) or ("waitlist", position from 1) of a person in a team; None if they
        are not in it. The proposer is a member."""
        if user_id == proposal.proposer_id:
            return ("member", 0)
        conn = self.store.conn
        row = conn.execute(
            "SELECT since FROM wishes WHERE proposal_id = ? AND user_id = ?",
            (proposal.id, user_id),
        ).fetchone()
        if row is None:
            return None
        ahead = self._ahead(conn, proposal.id, float(row[0]), user_id, limit=None)
        slots = self.limits(proposal)[1] - 1
        return ("member", 0) if ahead < slots else ("waitlist", ahead - slots + 1)

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

    def joined_by(self, user_id: str) -> list[int]:
        """Projects `user_id` wants to be in (members or waiting)."""
        rows = self.store.conn.execute(
            "SELECT proposal_id FROM wishes WHERE user_id = ? ORDER BY proposal_id", (user_id,)
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

    # --- what a post carries about its team (a rebuild from Slack restores it) --------------
    def join_records(self, proposal: Proposal) -> tuple[list[JoinRecord], list[LeaveRecord]]:
        """Every join signal and every leave of the project: what its team is made of."""
        conn = self.store.conn
        signals = conn.execute(
            "SELECT user_id, source, at, present, inferred FROM join_signals "
            "WHERE proposal_id = ? ORDER BY at, user_id, source",
            (proposal.id,),
        ).fetchall()
        leaves = conn.execute(
            "SELECT user_id, left_at FROM leaves WHERE proposal_id = ? ORDER BY left_at, user_id",
            (proposal.id,),
        ).fetchall()
        return (
            [
                JoinRecord(str(r[0]), str(r[1]), float(r[2]), bool(r[3]), bool(r[4]))
                for r in signals
            ],
            [LeaveRecord(str(r[0]), float(r[1])) for r in leaves],
        )

    def restore_team(
        self, proposal: Proposal, joins: list[JoinRecord], leaves: list[LeaveRecord]
    ) -> None:
        """The team as its post's record says (a rebuild from Slack, or a catch-up after a
        restore): its signals and leaves, each kept where it is newer than what is stored, and
        each person's place from them."""
        with self.store.transaction() as conn:
            conn.executemany(
                "INSERT INTO join_signals (proposal_id, user_id, source, present, at, inferred) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(proposal_id, user_id, source) DO UPDATE "
                "SET present = excluded.present, at = excluded.at, inferred = excluded.inferred "
                "WHERE excluded.at > join_signals.at",
                [
                    (proposal.id, j.user_id, j.source, int(j.present), j.at, int(j.inferred))
                    for j in joins
                ],
            )
            conn.executemany(
                "INSERT INTO leaves (proposal_id, user_id, left_at) VALUES (?, ?, ?) "
                "ON CONFLICT(proposal_id, user_id) "
                "DO UPDATE SET left_at = max(left_at, excluded.left_at)",
                [(proposal.id, x.user_id, x.at) for x in leaves],
            )
            for user in dict.fromkeys([*(j.user_id for j in joins), *(x.user_id for x in leaves)]):
                self._update_wish(conn, proposal, user)

    def official_record(self, proposal_id: int) -> OfficialRecord | None:
        row = self.store.conn.execute(
            "SELECT made_by, made_at, members, channel_id, channel_name FROM teams "
            "WHERE proposal_id = ? AND made_by IS NOT NULL",
            (proposal_id,),
        ).fetchone()
        if row is None:
            return None
        return OfficialRecord(
            by=str(row[0]),
            at=float(row[1] or 0.0),
            members=list(json.loads(row[2] or "[]")),
            channel_id=row[3],
            channel_name=row[4],
        )

    def restore_official(self, proposal: Proposal, official: OfficialRecord) -> None:
        """The official team as its post's record says (a rebuild from Slack, or a catch-up
        after a restore)."""
        self.store.conn.execute(
            "INSERT INTO teams (proposal_id, name, members, made_by, made_at, channel_id, "
            "channel_name) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(proposal_id) DO UPDATE SET "
            "members = excluded.members, made_by = excluded.made_by, made_at = excluded.made_at, "
            "channel_id = COALESCE(excluded.channel_id, teams.channel_id), "
            "channel_name = COALESCE(excluded.channel_name, teams.channel_name)",
            (
                proposal.id,
                proposal.name,
                json.dumps(official.members),
                official.by,
                official.at,
                official.channel_id,
                official.channel_name,
            ),
        )

    # --- official teams ----------------------------------------------------------------------
    def record_official(self, proposal: Proposal, team: Team, organizer: str) -> None:
        """Record the official team (the caller marks the proposal official, in the same
        transaction)."""
        self.store.conn.execute(
            "INSERT INTO teams (proposal_id, name, members, made_by, made_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(proposal_id) DO UPDATE SET name = excluded.name, "
            "members = excluded.members, made_by = excluded.made_by, made_at = excluded.made_at",
            (proposal.id, proposal.name, json.dumps(team.members), organizer, time.time()),
        )

    def undo_official(self, proposal_id: int) -> None:
        """The team is no longer official (the caller reopens the proposal). Its row and
        channel stay, so making it official again reuses the channel."""
        self.store.conn.execute(
            "UPDATE teams SET made_by = NULL, made_at = NULL WHERE proposal_id = ?",
            (proposal_id,),
        )

    def official_channel_name(self, proposal_id: int) -> str | None:
        row = self.store.conn.execute(
            "SELECT channel_name FROM teams WHERE proposal_id = ?", (proposal_id,)
        ).fetchone()
        return None if row is None or not row[0] else "#" + str(row[0])

    def team_channel_names(self) -> set[str]:
        """The names of the team channels the bot made (taken: creating one again costs a
        conversations.create call, Tier 2, only to hear name_taken)."""
        rows = self.store.conn.execute(
            "SELECT channel_name FROM teams WHERE channel_name IS NOT NULL AND channel_name != ''"
        ).fetchall()
        return {str(row[0]) for row in rows}

    def set_team_channel(self, proposal_id: int, channel_id: str, name: str) -> None:
        self.store.conn.execute(
            "UPDATE teams SET channel_id = ?, channel_name = ? WHERE proposal_id = ?",
            (channel_id, name, proposal_id),
        )

    def rename_team_channel(self, channel_id: str, name: str) -> int | None:
        """The team whose channel this is, now under `name` (None: no team's channel)."""
        row = self.store.conn.execute(
            "UPDATE teams SET channel_name = ? WHERE channel_id = ? RETURNING proposal_id",
            (name, channel_id),
        ).fetchall()  # all: a RETURNING statement left unfinished would hold the write lock
        return int(row[0][0]) if row else None

    def archive_team_channel(self, channel_id: str) -> int | None:
        """The team whose channel this is, marked archived (None: no team's, or already)."""
        row = self.store.conn.execute(
            "UPDATE teams SET channel_archived_at = ? WHERE channel_id = ? "
            "AND channel_archived_at IS NULL RETURNING proposal_id",
            (time.time(), channel_id),
        ).fetchall()
        return int(row[0][0]) if row else None

    def refresh_size(self, proposal: Proposal) -> Team:
        """The limits changed: store the team's numbers again (its size is capped at the
        maximum) and return the team."""
        self.standings.refresh(proposal.id)
        return self.team(proposal)

    # --- writing ---------------------------------------------------------------------------
    def apply(self, proposal: Proposal, signal: Signal) -> Change:
        """Apply one join signal if it is newer than what is stored for it."""
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO join_signals (proposal_id, user_id, source, present, at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(proposal_id, user_id, source) DO UPDATE SET "
                "present = excluded.present, at = excluded.at, inferred = 0 "
                "WHERE excluded.at > join_signals.at",
                (proposal.id, signal.user_id, signal.source, int(signal.present), signal.at),
            )
            if cursor.rowcount == 0:  # older than what is stored: nothing changes
                return self._unchanged(conn, proposal)
            return self._update_wish(conn, proposal, signal.user_id)

    def leave(self, proposal: Proposal, user_id: str, at: float | None = None) -> Change:
        at = time.time() if at is None else at
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO leaves (proposal_id, user_id, left_at) VALUES (?, ?, ?) "
                "ON CONFLICT(proposal_id, user_id) "
                "DO UPDATE SET left_at = max(left_at, excluded.left_at)",
                (proposal.id, user_id, at),
            )
            return self._update_wish(conn, proposal, user_id)

    def reconcile(
        self, proposal: Proposal, present: set[tuple[str, str]], emoji: list[str], at: float
    ) -> Change:
        """Make the emoji signals match what Slack says now (`present` = {(user, emoji)}),
        except where an event newer than the snapshot (`at`) says otherwise."""
        with self.store.transaction() as conn:
            touched: set[str] = set()
            for user, name in present:
                cursor = conn.execute(
                    "INSERT INTO join_signals (proposal_id, user_id, source, present, at, "
                    "inferred) VALUES (?, ?, ?, 1, ?, 1) "
                    "ON CONFLICT(proposal_id, user_id, source) DO UPDATE "
                    "SET present = 1, at = excluded.at, inferred = 1 "
                    "WHERE join_signals.at < excluded.at AND join_signals.present = 0",
                    (proposal.id, user, name, at),
                )
                if cursor.rowcount:
                    touched.add(user)
            marks = ", ".join("?" for _ in emoji)
            stale = conn.execute(
                f"SELECT user_id, source FROM join_signals WHERE proposal_id = ? AND present = 1 "
                f"AND source IN ({marks}) AND at < ?",
                (proposal.id, *emoji, at),
            ).fetchall()
            for user, name in stale:
                if (user, name) not in present:
                    conn.execute(
                        "UPDATE join_signals SET present = 0, at = ?, inferred = 1 "
                        "WHERE proposal_id = ? "
                        "AND user_id = ? AND source = ?",
                        (at, proposal.id, user, name),
                    )
                    touched.add(user)
            conn.execute(
                "UPDATE proposals SET reconciled_at = ? WHERE id = ?", (time.time(), proposal.id)
            )
            change = self._unchanged(conn, proposal)
            for user in sorted(touched):
                change = combine(change, self._update_wish(conn, proposal, user))
            return change

    # --- the wishes, person by person ---------------------------------------------------------
    def _wishers(self, conn: sqlite3.Connection, proposal_id: int) -> int:
        row = conn.execute("SELECT wishers FROM proposals WHERE id = ?", (proposal_id,)).fetchone()
        return 0 if row is None else int(row[0] or 0)

    def _unchanged(self, conn: sqlite3.Connection, proposal: Proposal) -> Change:
        now = self.summary(proposal, self._wishers(conn, proposal.id))
        return Change(proposal.id, now, now)

    def _current_wish(
        self, conn: sqlite3.Connection, proposal: Proposal, user: str
    ) -> float | None:
        """When `user`'s current wish to join began (their earliest present signal newer than
        their last leave), or None: the same rule as `domain.teams.joiners`."""
        if user == proposal.proposer_id:
            return None
        row = conn.execute(
            "SELECT MIN(s.at) FROM join_signals s WHERE s.proposal_id = ? AND s.user_id = ? "
            "AND s.present = 1 AND s.at > COALESCE((SELECT left_at FROM leaves l "
            "WHERE l.proposal_id = s.proposal_id AND l.user_id = s.user_id), 0) "
            "AND NOT (s.source LIKE '+%' AND EXISTS (SELECT 1 FROM join_signals r "
            "WHERE r.proposal_id = s.proposal_id AND r.user_id = s.user_id AND r.present = 0 "
            "AND r.inferred = 0 AND r.source NOT LIKE '+%' AND r.at > s.at))",
            (proposal.id, user),
        ).fetchone()
        return None if row is None or row[0] is None else float(row[0])

    def _ahead(
        self, conn: sqlite3.Connection, proposal_id: int, since: float, user: str, limit: int | None
    ) -> int:
        """How many wishes come before (since, user), counting at most `limit` of them."""
        row = conn.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM wishes WHERE proposal_id = ? "
            "AND (since < ? OR (since = ? AND user_id < ?)) LIMIT ?)",
            (proposal_id, since, since, user, -1 if limit is None else limit),
        ).fetchone()
        return int(row[0])

    def _nth(self, conn: sqlite3.Connection, proposal_id: int, offset: int) -> str | None:
        """The person whose wish is `offset`-th (from 0) in the queue."""
        row = conn.execute(
            "SELECT user_id FROM wishes WHERE proposal_id = ? ORDER BY since, user_id "
            "LIMIT 1 OFFSET ?",
            (proposal_id, offset),
        ).fetchone()
        return None if row is None else str(row[0])

    def _update_wish(self, conn: sqlite3.Connection, proposal: Proposal, user: str) -> Change:
        """Bring `user`'s wish up to date with their signals; what that did to the team."""
        row = conn.execute(
            "SELECT since FROM wishes WHERE proposal_id = ? AND user_id = ?", (proposal.id, user)
        ).fetchone()
        old = None if row is None else float(row[0])
        new = self._current_wish(conn, proposal, user)
        wishers = self._wishers(conn, proposal.id)
        before = self.summary(proposal, wishers)
        if old == new:
            return Change(proposal.id, before, before)
        slots = self.limits(proposal)[1] - 1  # places beside the proposer
        joined: list[str] = []
        left: list[str] = []
        queued: list[str] = []
        unqueued: list[str] = []
        if old is not None:
            was_member = self._ahead(conn, proposal.id, old, user, slots) < slots
            conn.execute(
                "DELETE FROM wishes WHERE proposal_id = ? AND user_id = ?", (proposal.id, user)
            )
            wishers -= 1
            if was_member:
                left.append(user)
                promoted = self._nth(conn, proposal.id, slots - 1) if slots > 0 else None
                if promoted is not None:
                    joined.append(promoted)
                    unqueued.append(promoted)
            else:
                unqueued.append(user)
        if new is not None:
            is_member = self._ahead(conn, proposal.id, new, user, slots) < slots
            conn.execute(
                "INSERT INTO wishes (proposal_id, user_id, since) VALUES (?, ?, ?)",
                (proposal.id, user, new),
            )
            wishers += 1
            if is_member:
                joined.append(user)
                pushed = self._nth(conn, proposal.id, slots) if wishers > slots else None
                if pushed is not None:
                    left.append(pushed)
                    queued.append(pushed)
            else:
                queued.append(user)
        # Read from the row, not from `proposal`: its status may have changed since it was read.
        self.standings.refresh(proposal.id, wishers=wishers)
        after = self.summary(proposal, wishers)
        # Someone who left a place and came back into it (a wish that only moved) is no news.
        return Change(
            proposal.id,
            before,
            after,
            *_net(joined, left),
            *_net(queued, unqueued),
        )


def _net(added: list[str], removed: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    both = set(added) & set(removed)
    return (
        tuple(u for u in dict.fromkeys(added) if u not in both),
        tuple(u for u in dict.fromkeys(removed) if u not in both),
    )

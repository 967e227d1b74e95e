"""Where a reaction becomes a membership: join signals stored, teams derived.

Every change is idempotent and order-independent (see `teams`): a signal is applied only if it is
newer than the one stored for the same person, project and source.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass

from slackbot.domain.digest import DigestPlan, Standing
from slackbot.domain.proposals import Proposal, Status
from slackbot.domain.teams import (
    Signal,
    Team,
    TeamStatus,
    build_team,
    joiners,
    status_for,
    threshold_for,
)
from slackbot.store.db import Store


@dataclass(frozen=True)
class Change:
    """What one state change did to a team (for rosters, alerts and the proposer's digest)."""

    before: Team
    after: Team

    @property
    def joined(self) -> list[str]:
        return [u for u in self.after.members if u not in self.before.members]

    @property
    def left(self) -> list[str]:
        return [u for u in self.before.members if u not in self.after.members]

    @property
    def changed(self) -> bool:
        return (self.before.members, self.before.waitlist) != (
            self.after.members,
            self.after.waitlist,
        )


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
        """Record the official team and mark the proposal official (call in a transaction)."""
        now = time.time()
        conn = self.store.conn
        conn.execute(
            "INSERT INTO teams (proposal_id, name, members, made_by, made_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(proposal_id) DO UPDATE SET name = excluded.name, "
            "members = excluded.members, made_by = excluded.made_by, made_at = excluded.made_at",
            (proposal.id, proposal.name, json.dumps(team.members), organizer, now),
        )
        conn.execute(
            "UPDATE proposals SET status = ?, updated_at = ? WHERE id = ?",
            (Status.OFFICIAL.value, now, proposal.id),
        )

    def refresh_size(self, proposal: Proposal) -> Team:
        """Store the team size again after the limits changed (it is capped at the maximum)."""
        team = self.team(proposal)
        self.store.conn.execute(
            "UPDATE proposals SET team_size = ? WHERE id = ?", (team.size, proposal.id)
        )
        return team

    def undo_official(self, proposal_id: int) -> None:
        """Back to an open proposal (call in a transaction). The team's row and channel stay, so
        making it official again reuses the channel."""
        conn = self.store.conn
        conn.execute(
            "UPDATE teams SET made_by = NULL, made_at = NULL WHERE proposal_id = ?",
            (proposal_id,),
        )
        conn.execute(
            "UPDATE proposals SET status = ?, updated_at = ? WHERE id = ?",
            (Status.OPEN.value, time.time(), proposal_id),
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

    def standings(self, proposal_ids: list[int] | None = None) -> list[Standing]:
        """Team size and status of every live project, in one query (see `digest`)."""
        sql = (
            "SELECT id, status, min_team_size, max_team_size, posted_at, team_size "
            "FROM proposals WHERE status IN ('open', 'official') AND ts IS NOT NULL"
        )
        params: list[object] = []
        if proposal_ids is not None:
            sql += f" AND id IN ({', '.join('?' for _ in proposal_ids)})"
            params.extend(proposal_ids)
        out = []
        default_max, default_threshold = self.default_max, self.default_threshold
        for pid, status, own_min, own_max, posted_at, team_size in self.store.tuples(sql, params):
            max_size = own_max or default_max
            threshold = threshold_for(own_min, default_threshold, max_size)
            size = min(team_size, max_size)
            out.append(
                Standing(
                    pid,
                    status_for(size, threshold, max_size, official=status == "official"),
                    size,
                    threshold,
                    max_size,
                    posted_at or 0.0,
                )
            )
        return out

    # --- rankings in the database (the same rules as `digest`, for thousands of projects) ---
    # Mirrors threshold_for, status_for and Standing; tests/domain/test_rankings.py checks that
    # these queries and the Python rules agree.
    _RANKED = """
        WITH base AS (
            SELECT id, status, posted_at, team_size,
                   COALESCE(max_team_size, :dmax) AS mx, min_team_size AS own_min
            FROM proposals WHERE status IN ('open', 'official') AND ts IS NOT NULL
        ), sized AS (
            SELECT id, status, COALESCE(posted_at, 0.0) AS posted_at, mx,
                   MIN(team_size, mx) AS size,
                   CASE WHEN own_min BETWEEN 2 AND mx THEN own_min ELSE :dthr END AS thr
            FROM base
        ), ranked AS (
            SELECT id, size, thr, mx, posted_at,
                   CASE WHEN status = 'official' THEN 'official' WHEN size >= mx THEN 'full'
                        WHEN size >= thr THEN 'ready' ELSE 'looking' END AS st
            FROM sized
        )
    """

    def _ranked(self, tail: str, **params: object) -> list[Standing]:
        rows = self.store.tuples(
            self._RANKED + "SELECT id, st, size, thr, mx, posted_at FROM ranked " + tail,
            {"dmax": self.default_max, "dthr": self.default_threshold, **params},
        )
        return [Standing(r[0], TeamStatus(r[1]), r[2], r[3], r[4], r[5]) for r in rows]

    def _count(self, where: str, **params: object) -> int:
        rows = self.store.tuples(
            self._RANKED + f"SELECT COUNT(*) FROM ranked WHERE {where}",
            {"dmax": self.default_max, "dthr": self.default_threshold, **params},
        )
        return int(rows[0][0])

    def ranked_plan(self, *, since: float, need_limit: int, new_limit: int) -> DigestPlan:
        counts = dict(
            self.store.tuples(
                self._RANKED + "SELECT st, COUNT(*) FROM ranked GROUP BY st",
                {"dmax": self.default_max, "dthr": self.default_threshold},
            )
        )
        return DigestPlan(
            open=counts.get("looking", 0),
            forming=counts.get("ready", 0) + counts.get("full", 0),
            official=counts.get("official", 0),
            need_members=self.ranked_need(need_limit),
            newest=self._ranked(
                "WHERE posted_at > :since ORDER BY posted_at DESC, id LIMIT :n",
                since=since,
                n=new_limit,
            ),
            need_total=counts.get("looking", 0),
            newest_total=self._count("posted_at > :since", since=since),
        )

    def ranked_need(self, limit: int, offset: int = 0) -> list[Standing]:
        return self._ranked(
            "WHERE st = 'looking' ORDER BY thr - size, posted_at, id LIMIT :n OFFSET :o",
            n=limit,
            o=offset,
        )

    def ranked_waiting(self, limit: int) -> list[Standing]:
        return self._ranked(
            "WHERE st IN ('ready', 'full') ORDER BY posted_at, id LIMIT :n", n=limit
        )

    def ranked_joinable(self, limit: int, offset: int = 0) -> tuple[list[Standing], int]:
        where = "st = 'looking' OR (st IN ('ready', 'official') AND size < mx)"
        page = self._ranked(
            f"WHERE {where} ORDER BY st != 'looking', "
            "CASE WHEN st = 'looking' THEN thr - size ELSE size END, posted_at, id "
            "LIMIT :n OFFSET :o",
            n=limit,
            o=offset,
        )
        return page, self._count(where)

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

"""A proposal's ranking columns, kept current at each change: its team size, where it stands
(looking, ready, full, official; NULL when not listed), how many it needs, and its place among
the projects a participant can join.

They are computed here with the domain's rules (`threshold_for`, `summarize`, `standing_of`)
from the proposal's row, whenever something they depend on changes (the team, the status, the
limits, the post), so the ranking queries read an index instead of deriving them per request.
"""

from __future__ import annotations

from slackbot.domain.proposal import Status
from slackbot.domain.teams import TeamStatus, standing_of, summarize, threshold_for
from slackbot.store.db import Store


class StandingColumns:
    def __init__(self, store: Store, *, default_threshold: int, default_max: int) -> None:
        self.store = store
        self.default_threshold = default_threshold
        self.default_max = default_max

    def limits(self, own_min: int | None, own_max: int | None) -> tuple[int, int]:
        """(threshold, max size) of a project with these own limits."""
        max_size = own_max or self.default_max
        return threshold_for(own_min, self.default_threshold, max_size), max_size

    def refresh(self, proposal_id: int, *, wishers: int | None = None) -> None:
        """Recompute the columns of one proposal from its row as it is now (in the caller's
        transaction, if any); with `wishers`, its new number of wishers too."""
        row = self.store.conn.execute(
            "SELECT status, ts, min_team_size, max_team_size, wishers FROM proposals WHERE id = ?",
            (proposal_id,),
        ).fetchone()
        if row is not None:
            status, ts, own_min, own_max, stored = row
            self.write(
                proposal_id, status, ts, own_min, own_max, stored if wishers is None else wishers
            )

    def write(
        self,
        proposal_id: int,
        status: str,
        ts: str | None,
        own_min: int | None,
        own_max: int | None,
        wishers: int,
    ) -> None:
        """Store the columns (and the wishers) of a proposal whose row holds these values."""
        threshold, max_size = self.limits(own_min, own_max)
        summary = summarize(
            int(wishers or 0),
            threshold=threshold,
            max_size=max_size,
            official=status == Status.OFFICIAL.value,
            withdrawn=status == Status.WITHDRAWN.value,
            closed=status == Status.CLOSED.value,
        )
        live = status in (Status.OPEN.value, Status.OFFICIAL.value)
        standing = standing_of(summary, posted=live and ts is not None)
        group = key = None
        if standing is TeamStatus.LOOKING:
            group, key = 0, summary.needed
        elif standing in (TeamStatus.READY, TeamStatus.OFFICIAL) and summary.size < max_size:
            group, key = 1, summary.size
        self.store.conn.execute(
            "UPDATE proposals SET wishers = ?, team_size = ?, standing = ?, needed = ?, "
            "join_group = ?, join_key = ? WHERE id = ?",
            (
                int(wishers or 0),
                summary.size,
                None if standing is None else standing.value,
                summary.needed,
                group,
                key,
                proposal_id,
            ),
        )

    def refresh_all(self) -> int:
        """Every proposal's columns (a new database, or new defaults in the settings)."""
        ids = [int(r[0]) for r in self.store.conn.execute("SELECT id FROM proposals").fetchall()]
        with self.store.transaction():
            for proposal_id in ids:
                self.refresh(proposal_id)
            self.store.conn.execute(
                "INSERT INTO meta (key, value) VALUES ('standing_defaults', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (self.defaults_key(),),
            )
        return len(ids)

    def defaults_key(self) -> str:
        return f"{self.default_threshold}/{self.default_max}"

    def stale(self) -> bool:
        """Were the columns computed with other defaults (or never)?"""
        row = self.store.conn.execute(
            "SELECT value FROM meta WHERE key = 'standing_defaults'"
        ).fetchone()
        return row is None or row[0] != self.defaults_key()

"""The read side of the ranking rules: what the digest, `/projects` and the Home tab list.

`domain.ranking` is the rule (who needs members, in which order; what a participant can still
join; the organizers' queue), on `Standing` values. With thousands of projects the bot asks the
database for just the first few in the same order: these queries implement those rules, and
`threshold_for` / `status_for` of `domain.teams`, in SQL. tests/domain/test_rankings.py holds the
queries to the rules with generated weeks of projects.
"""

from __future__ import annotations

from slackbot.domain.proposal import LIVE
from slackbot.domain.ranking import DigestPlan, Standing
from slackbot.domain.teams import TeamStatus, status_for, threshold_for
from slackbot.store.db import Store

# The statuses that count (domain.proposal.LIVE), as SQL: fixed values, not user input.
LIVE_IN = ", ".join(f"'{status.value}'" for status in LIVE)


class Rankings:
    def __init__(self, store: Store, *, default_threshold: int, default_max: int) -> None:
        self.store = store
        self.default_threshold = default_threshold
        self.default_max = default_max

    def standings(self, proposal_ids: list[int] | None = None) -> list[Standing]:
        """Team size and status of every live project, in one query (see `digest`)."""
        sql = (
            "SELECT id, status, min_team_size, max_team_size, posted_at, team_size "
            f"FROM proposals WHERE status IN ({LIVE_IN}) AND ts IS NOT NULL"
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

    # The same rules as domain.ranking and domain.teams (threshold_for, status_for), in SQL.
    _RANKED = f"""
        WITH base AS (
            SELECT id, status, posted_at, team_size,
                   COALESCE(max_team_size, :dmax) AS mx, min_team_size AS own_min
            FROM proposals WHERE status IN ({LIVE_IN}) AND ts IS NOT NULL
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

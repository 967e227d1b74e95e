"""The read side of the ranking rules: what the digest, `/projects` and the Home tab list.

`domain.ranking` is the rule (who needs members, in which order; what a participant can still
join; the organizers' queue), on `Standing` values. The store keeps each project's standing,
need and place among joinable projects in columns, computed with the domain's rules at each
change (`standing_columns`); these queries read the first few in rule order from an index, so
they cost the same with 100 projects as with 100,000. The one exception is the digest's count
of projects by language (`looking_languages`), a read of every project looking for members,
once a digest. tests/domain/test_rankings.py holds them to the rules with generated weeks of
projects.
"""

from __future__ import annotations

from collections.abc import Sequence

from slackbot.domain.ranking import DigestPlan, Standing
from slackbot.domain.teams import TeamStatus
from slackbot.store.db import Store
from slackbot.store.standing_columns import StandingColumns

_COLUMNS = "id, standing, team_size, min_team_size, max_team_size, COALESCE(posted_at, 0.0)"


NEW_AND_JOINABLE = (
    f"standing IS NOT NULL AND standing != '{TeamStatus.OFFICIAL.value}' AND posted_at > ?"
)


class Rankings:
    def __init__(self, store: Store, standings: StandingColumns) -> None:
        self.store = store
        self.columns = standings

    def _rows(self, tail: str, params: Sequence[object] = ()) -> list[Standing]:
        out = []
        for pid, standing, size, own_min, own_max, posted_at in self.store.tuples(
            f"SELECT {_COLUMNS} FROM proposals {tail}", params
        ):
            threshold, max_size = self.columns.limits(own_min, own_max)
            out.append(
                Standing(pid, TeamStatus(standing), size, threshold, max_size, float(posted_at))
            )
        return out

    def _count(self, where: str, params: Sequence[object] = ()) -> int:
        return int(self.store.tuples(f"SELECT COUNT(*) FROM proposals WHERE {where}", params)[0][0])

    def standings(self, proposal_ids: list[int] | None = None) -> list[Standing]:
        """Where every listed project stands (or those of `proposal_ids`)."""
        if proposal_ids is None:
            return self._rows("WHERE standing IS NOT NULL ORDER BY id")
        marks = ", ".join("?" for _ in proposal_ids)
        return self._rows(f"WHERE standing IS NOT NULL AND id IN ({marks})", proposal_ids)

    def counts(self) -> dict[str, int]:
        """How many projects stand where (looking, ready, full, official)."""
        return {
            str(key): int(n)
            for key, n in self.store.tuples(
                "SELECT key, n FROM standing_counts WHERE key != 'joinable' AND n > 0"
            )
        }

    def ranked_plan(
        self, *, since: float, need_limit: int, new_limit: int, languages: bool = False
    ) -> DigestPlan:
        """The digest's plan (with `languages`: its counts by language too, a scan of the
        projects looking for members that the Home tab's counts do not need)."""
        counts = self.counts()
        return DigestPlan(
            open=counts.get("looking", 0),
            forming=counts.get("ready", 0) + counts.get("full", 0),
            official=counts.get("official", 0),
            need_members=self.ranked_need(need_limit),
            # "New" is for people looking for a team: an official team takes no one.
            newest=self._rows(
                f"WHERE {NEW_AND_JOINABLE} ORDER BY posted_at DESC, id LIMIT ?",
                (since, new_limit),
            ),
            need_total=counts.get("looking", 0),
            newest_total=self._count(NEW_AND_JOINABLE, (since,)),
            since=since,
            languages=self.looking_languages() if languages else (),
        )

    def looking_languages(self) -> tuple[tuple[str, int], ...]:
        """How many projects look for members in each language (slug, count), most first; a
        project in two languages counts in both.

        Projects are first grouped by their `languages` JSON (a few hundred distinct lists
        however many projects), so `json_each` parses each list once, not once per project."""
        rows = self.store.tuples(
            "SELECT value, SUM(n) AS total FROM ("
            "  SELECT same.n, lang.value FROM ("
            # The partial index (migration v14) holds just these rows: named, so the count
            # never falls back to reading the whole week when the planner has no statistics.
            "    SELECT languages, COUNT(*) AS n FROM proposals"
            "    INDEXED BY proposals_looking_languages"
            "    WHERE standing = 'looking' GROUP BY languages"
            "  ) same,"
            "  json_each(CASE WHEN json_valid(same.languages) THEN same.languages ELSE '[]' END)"
            "  lang WHERE lang.type = 'text'"
            "  GROUP BY same.languages, lang.value"  # a language listed twice counts once
            ") GROUP BY value ORDER BY total DESC, value"
        )
        return tuple((str(slug), int(n)) for slug, n in rows)

    def ranked_need(self, limit: int, offset: int = 0) -> list[Standing]:
        """Projects looking for members, closest to their threshold first (domain.ranking)."""
        return self._rows(
            "WHERE standing = 'looking' ORDER BY needed, posted_at, id LIMIT ? OFFSET ?",
            (limit, offset),
        )

    def ranked_waiting(self, limit: int) -> list[Standing]:
        """Teams at their threshold, not yet official: the organizers' queue, oldest first."""
        return self._rows(
            "WHERE standing IN ('ready', 'full') ORDER BY posted_at, id LIMIT ?", (limit,)
        )

    def ranked_joinable(self, limit: int, offset: int = 0) -> tuple[list[Standing], int]:
        """What a participant can still join, in domain.ranking.joinable's order, and how
        many in all."""
        page = self._rows(
            "WHERE join_group IS NOT NULL ORDER BY join_group, join_key, posted_at, id "
            "LIMIT ? OFFSET ?",
            (limit, offset),
        )
        rows = self.store.tuples("SELECT n FROM standing_counts WHERE key = 'joinable'")
        return page, int(rows[0][0]) if rows else 0

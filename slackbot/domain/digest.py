"""What a digest says: counts, the projects that need members (closest to their threshold
first), and what is new since the last digest. `/projects` and the Home tab use the same ranking.

Ranking works on `Standing` rows (a few numbers per project, computed in one SQL query), so that
thousands of projects rank in milliseconds; only the projects shown are loaded in full.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from slackbot.domain.teams import TeamStatus


class Standing(NamedTuple):
    """A project's place in the ranking (a tuple: thousands are built per digest)."""

    proposal_id: int
    status: TeamStatus
    size: int
    threshold: int
    max_size: int
    posted_at: float

    @property
    def needed(self) -> int:
        return max(0, self.threshold - self.size)


@dataclass(frozen=True)
class DigestPlan:
    open: int  # looking for members
    forming: int  # at their threshold, waiting for organizers (ready or full)
    official: int
    need_members: list[Standing]  # ranked, all of them
    newest: list[Standing]  # newest first, all of them

    @property
    def empty(self) -> bool:
        return not self.need_members and not self.newest


def rank_key(s: Standing) -> tuple[int, float, int]:
    """Closest to its threshold first; among equals the older proposal first (it has waited)."""
    return (s.needed, s.posted_at, s.proposal_id)


def needs_members(standings: list[Standing]) -> list[Standing]:
    return sorted((s for s in standings if s.status is TeamStatus.LOOKING), key=rank_key)


def joinable(standings: list[Standing]) -> list[Standing]:
    """What a participant can still join: those that need members first, then teams with room."""
    rest = sorted(
        (
            s
            for s in standings
            if s.status in (TeamStatus.READY, TeamStatus.OFFICIAL) and s.size < s.max_size
        ),
        key=lambda s: (s.size, s.posted_at, s.proposal_id),
    )
    return needs_members(standings) + rest


def compose(standings: list[Standing], *, since: float) -> DigestPlan:
    counts = {status: 0 for status in TeamStatus}
    for s in standings:
        counts[s.status] += 1
    newest = sorted((s for s in standings if s.posted_at > since), key=lambda s: -s.posted_at)
    return DigestPlan(
        open=counts[TeamStatus.LOOKING],
        forming=counts[TeamStatus.READY] + counts[TeamStatus.FULL],
        official=counts[TeamStatus.OFFICIAL],
        need_members=needs_members(standings),
        newest=newest,
    )

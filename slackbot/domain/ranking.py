"""What a digest says: counts, the projects that need members (closest to their threshold
first), how many look for members in each language, and what is new since the last digest.
`/projects` and the Home tab use the same ranking.

These functions are the rules, on `Standing` rows. With thousands of projects the bot asks the
database for just the first few in the same order (`Memberships.ranked_*`); a property test
keeps the two in agreement.
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
    need_members: list[Standing]  # ranked (the first ones, when limited)
    newest: list[Standing]  # newest first (the first ones, when limited)
    need_total: int = -1  # how many need members in all (-1: len(need_members))
    newest_total: int = -1
    since: float = 0.0  # "new" means posted after this
    # Projects looking for members in each language (slug, count), most first; a project in
    # two languages counts in both.
    languages: tuple[tuple[str, int], ...] = ()

    def __post_init__(self) -> None:
        if self.need_total < 0:
            object.__setattr__(self, "need_total", len(self.need_members))
        if self.newest_total < 0:
            object.__setattr__(self, "newest_total", len(self.newest))

    @property
    def empty(self) -> bool:
        return not self.need_members and not self.newest


class DigestSections(NamedTuple):
    """What one digest lists, each project once: the closest to starting, then what is new."""

    closest: list[Standing]
    fresh: list[Standing]  # new since the last digest, not already among `closest`
    fresh_total: int  # how many new ones are not among `closest`, shown or not


def digest_sections(plan: DigestPlan, *, closest_max: int, fresh_max: int) -> DigestSections:
    """The projects a digest lists, none twice. `plan.newest` must hold its first
    `closest_max + fresh_max` (so that `fresh_max` remain once the closest are taken out)."""
    closest = plan.need_members[:closest_max]
    shown = {s.proposal_id for s in closest}
    fresh = [s for s in plan.newest if s.proposal_id not in shown][:fresh_max]
    # A project needing members is listed, so it is among the new ones iff posted after `since`.
    fresh_total = plan.newest_total - sum(1 for s in closest if s.posted_at > plan.since)
    return DigestSections(closest, fresh, fresh_total)


def rank_key(s: Standing) -> tuple[int, float, int]:
    """Closest to its threshold first; among equals the older proposal first (it has waited)."""
    return (s.needed, s.posted_at, s.proposal_id)


def needs_members(standings: list[Standing]) -> list[Standing]:
    return sorted((s for s in standings if s.status is TeamStatus.LOOKING), key=rank_key)


def newest_first(standings: list[Standing], since: float) -> list[Standing]:
    """What is new since `since` for people looking for a team: an official team takes no one."""
    return sorted(
        (s for s in standings if s.posted_at > since and s.status is not TeamStatus.OFFICIAL),
        key=lambda s: (-s.posted_at, s.proposal_id),
    )


def waiting(standings: list[Standing]) -> list[Standing]:
    """Teams at their threshold, not yet official: the organizers' queue, oldest first."""
    return sorted(
        (s for s in standings if s.status in (TeamStatus.READY, TeamStatus.FULL)),
        key=lambda s: (s.posted_at, s.proposal_id),
    )


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
    newest = newest_first(standings, since)
    return DigestPlan(
        open=counts[TeamStatus.LOOKING],
        forming=counts[TeamStatus.READY] + counts[TeamStatus.FULL],
        official=counts[TeamStatus.OFFICIAL],
        need_members=needs_members(standings),
        newest=newest,
        since=since,
    )

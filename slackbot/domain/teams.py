"""Teams: who is a member, who waits, and what state a team is in.

A person's wish to join a project is a set of "join signals" (one per join emoji they reacted
with, or a Join button, or an organizer moving them in), each a last-writer-wins register
stamped with Slack's event time. Applying the same signal twice, or an older one after a newer
one, changes nothing; that is what makes at-least-once, out-of-order delivery safe. Leaving
(the Leave button, the Home tab) records a `left_at` that outweighs every earlier signal, and
removing a join reaction outweighs an earlier button or organizer join, so whichever way a
person joined, either way of leaving works. A removal only reconciliation inferred (the event
was lost, its time unknown) does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from slackbot.domain.vocabulary import fold


class TeamStatus(str, Enum):
    LOOKING = "looking"  # below the threshold
    READY = "ready"  # at or above the threshold, waiting for organizers
    FULL = "full"  # at the maximum (not yet official)
    OFFICIAL = "official"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"


# One set of words for a team's status, on the post, the digest, Home, /projects and the export.
STATUS_LABELS = {
    TeamStatus.LOOKING: "Looking for members",
    TeamStatus.READY: "Waiting for organizers",
    TeamStatus.FULL: "Full, waitlist open",
    TeamStatus.OFFICIAL: "Official team ✅",
    TeamStatus.WITHDRAWN: "Withdrawn",
    TeamStatus.CLOSED: "Closed",
}


def size_words(
    size: int, threshold: int, max_size: int, waiting: int = 0, status: TeamStatus | None = None
) -> str:
    """A team's numbers in words: "2 of 3 members · 5 max · needs 1 more · waitlist 2"."""
    if status in (TeamStatus.WITHDRAWN, TeamStatus.CLOSED):
        return f"team of {size}"
    if status is TeamStatus.OFFICIAL:  # organizers chose it as it is: it needs nobody
        return "1 member" if size == 1 else f"{size} members"
    needed = threshold - size
    parts = [f"{size} of {threshold} members" if needed > 0 else f"{size} members"]
    parts.append(f"{max_size} max")
    if needed > 0:
        parts.append(f"needs {needed} more")
    if waiting:
        parts.append(f"waitlist {waiting}")
    return " · ".join(parts)


# Join signals that are not emoji: reconciliation from reactions.get leaves them alone.
BUTTON = "+button"
ORGANIZER = "+organizer"


def base_emoji(name: str) -> str:
    """Slack sends "raised_hand::skin-tone-3" for a toned reaction; it is the same emoji."""
    return name.split("::", 1)[0]


@dataclass(frozen=True)
class Signal:
    user_id: str
    source: str  # emoji name, BUTTON or ORGANIZER
    present: bool
    at: float  # Slack's event time
    inferred: bool = False  # set by reconciliation, not seen as an event

    @property
    def is_emoji(self) -> bool:
        return not self.source.startswith("+")


@dataclass
class Team:
    proposal_id: int
    proposer_id: str
    members: list[str]  # proposer first, then joiners in the order they joined
    waitlist: list[str]
    threshold: int
    max_size: int
    status: TeamStatus

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def needed(self) -> int:
        return max(0, self.threshold - self.size)

    @property
    def words(self) -> str:
        return size_words(self.size, self.threshold, self.max_size, len(self.waitlist), self.status)

    @property
    def summary(self) -> TeamSummary:
        return TeamSummary(
            self.size, self.threshold, self.max_size, self.status, len(self.waitlist)
        )


def joiners(signals: list[Signal], left_at: dict[str, float]) -> dict[str, float]:
    """user -> the time their current wish to join began (for the order of the queue)."""
    unreacted: dict[str, float] = {}  # the latest removal of a join reaction, seen as an event
    for signal in signals:
        if signal.is_emoji and not signal.present and not signal.inferred:
            unreacted[signal.user_id] = max(signal.at, unreacted.get(signal.user_id, 0.0))
    current: dict[str, float] = {}
    for signal in signals:
        if not signal.present or signal.at <= left_at.get(signal.user_id, 0.0):
            continue
        if not signal.is_emoji and signal.at < unreacted.get(signal.user_id, 0.0):
            continue  # joined by button, left by removing a reaction
        current[signal.user_id] = min(signal.at, current.get(signal.user_id, signal.at))
    return current


def status_for(
    size: int,
    threshold: int,
    max_size: int,
    *,
    official: bool = False,
    withdrawn: bool = False,
    closed: bool = False,
) -> TeamStatus:
    if withdrawn:
        return TeamStatus.WITHDRAWN
    if closed:
        return TeamStatus.CLOSED
    if official:
        return TeamStatus.OFFICIAL
    if size >= max_size:
        return TeamStatus.FULL
    if size >= threshold:
        return TeamStatus.READY
    return TeamStatus.LOOKING


def build_team(
    proposal_id: int,
    proposer_id: str,
    wishes: dict[str, float],
    *,
    threshold: int,
    max_size: int,
    official: bool = False,
    withdrawn: bool = False,
    closed: bool = False,
    excluded: frozenset[str] = frozenset(),
) -> Team:
    """The team from everyone's wish to join: the proposer, then the earliest joiners up to the
    maximum; later ones wait and move up when someone leaves."""
    queue = sorted(
        ((at, user) for user, at in wishes.items() if user != proposer_id and user not in excluded),
    )
    ordered = [proposer_id] + [user for _, user in queue]
    members, waitlist = ordered[:max_size], ordered[max_size:]
    return Team(
        proposal_id=proposal_id,
        proposer_id=proposer_id,
        members=members,
        waitlist=waitlist,
        threshold=threshold,
        max_size=max_size,
        status=status_for(
            len(members),
            threshold,
            max_size,
            official=official,
            withdrawn=withdrawn,
            closed=closed,
        ),
    )


def threshold_for(own_minimum: int | None, default: int, max_size: int) -> int:
    """A proposal's own minimum counts when it is within 2..max; otherwise the default."""
    if own_minimum is not None and 2 <= own_minimum <= max_size:
        return own_minimum
    return default


def channel_name(project_name: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A valid Slack channel name for a team: lowercase a-z0-9-_, at most 80 characters,
    unique among `taken` (a numeric suffix is added when needed)."""
    slug = "-".join(fold(project_name).split())
    slug = "".join(c for c in slug if c.isascii() and (c.isalnum() or c in "-_"))
    base = ("team-" + slug).strip("-_")[:72].rstrip("-_") or "team"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


@dataclass(frozen=True)
class TeamSummary:
    """A team in numbers: enough for alerts, rankings and the post's status line."""

    size: int  # members, the proposer included
    threshold: int
    max_size: int
    status: TeamStatus
    waiting: int  # people on the waitlist

    @property
    def needed(self) -> int:
        return max(0, self.threshold - self.size)


def summarize(
    wishers: int,
    *,
    threshold: int,
    max_size: int,
    official: bool = False,
    withdrawn: bool = False,
    closed: bool = False,
) -> TeamSummary:
    """The team of a proposer and `wishers` people who want to join: the first ones up to the
    maximum are members, the others wait (the same rule as `build_team`, in numbers)."""
    size = min(1 + wishers, max_size)
    return TeamSummary(
        size=size,
        threshold=threshold,
        max_size=max_size,
        status=status_for(
            size, threshold, max_size, official=official, withdrawn=withdrawn, closed=closed
        ),
        waiting=max(0, 1 + wishers - max_size),
    )


@dataclass(frozen=True)
class Change:
    """What one state change did to a team (for rosters, alerts, notices and Home tabs).

    `joined` became members and `left` stopped being members; `queued` went onto the
    waitlist and `unqueued` came off it (moved up into the team, or gone)."""

    proposal_id: int
    before: TeamSummary
    after: TeamSummary
    joined: tuple[str, ...] = ()
    left: tuple[str, ...] = ()
    queued: tuple[str, ...] = ()
    unqueued: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.joined or self.left or self.queued or self.unqueued)

    @property
    def people(self) -> set[str]:
        """Everyone whose place changed."""
        return {*self.joined, *self.left, *self.queued, *self.unqueued}


def combine(first: Change, second: Change) -> Change:
    """Two changes of the same team, one after the other, as one (a person who joined then
    left in between appears in neither)."""

    def net(
        added: tuple[str, ...],
        removed: tuple[str, ...],
        add2: tuple[str, ...],
        rem2: tuple[str, ...],
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        plus = [u for u in added if u not in rem2] + [u for u in add2 if u not in removed]
        minus = [u for u in removed if u not in add2] + [u for u in rem2 if u not in added]
        return tuple(dict.fromkeys(plus)), tuple(dict.fromkeys(minus))

    joined, left = net(first.joined, first.left, second.joined, second.left)
    queued, unqueued = net(first.queued, first.unqueued, second.queued, second.unqueued)
    return Change(first.proposal_id, first.before, second.after, joined, left, queued, unqueued)


def standing_of(summary: TeamSummary, *, posted: bool) -> TeamStatus | None:
    """Where a project stands in the rankings (None: it is not listed: not posted yet, or
    withdrawn or closed)."""
    if not posted or summary.status in (TeamStatus.WITHDRAWN, TeamStatus.CLOSED):
        return None
    return summary.status

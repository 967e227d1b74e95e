"""What happened in the week, said once by the use case that made it happen, and heard by
whatever must follow (cosmicpython's `domain/events.py`). Events are plain values: the message
bus runs their handlers after the transaction that raised them committed, so a handler never
sees a change that was rolled back, and one handler failing does not undo the change."""

from __future__ import annotations

from dataclasses import dataclass


class Event:
    """A fact, in the past tense."""


@dataclass(frozen=True)
class TeamChanged(Event):
    """A team's members or waitlist changed (a reaction, a button, an organizer's move, a
    deactivated account), already stored with its post marked for a redraw."""

    proposal_id: int
    proposer_id: str
    people: frozenset[str]  # whose place changed
    joined: tuple[str, ...] = ()
    left: tuple[str, ...] = ()
    status_changed: bool = False  # forming / ready / full / official
    official: bool = False
    waitlist_changed: bool = False
    alerts_claimed: bool = False  # an organizer alert is due


@dataclass(frozen=True)
class TeamMadeOfficial(Event):
    proposal_id: int
    members: tuple[str, ...]
    team_channel: str | None  # its own channel, when one was made


@dataclass(frozen=True)
class MemberJoinedOfficialTeam(Event):
    proposal_id: int
    user: str


@dataclass(frozen=True)
class MemberLeftOfficialTeam(Event):
    proposal_id: int
    user: str


@dataclass(frozen=True)
class OfficialUndone(Event):
    proposal_id: int


# --- compute and Hub access (issue 26) ---------------------------------------------------
@dataclass(frozen=True)
class ComputeAdded(Event):
    labels: tuple[str, ...]


@dataclass(frozen=True)
class ComputeGiven(Event):
    proposal_id: int
    label: str
    by: str  # an organizer, or the bot's own hand-out


@dataclass(frozen=True)
class ComputeReturned(Event):
    proposal_id: int
    label: str


@dataclass(frozen=True)
class ComputeProblemReported(Event):
    proposal_id: int
    user: str
    problem: str


@dataclass(frozen=True)
class ComputeAnswered(Event):
    proposal_id: int
    user: str
    works: bool


@dataclass(frozen=True)
class HubUsernameGiven(Event):
    user: str


# --- demos and judging (issue 27) ------------------------------------------------------
@dataclass(frozen=True)
class DemoSubmitted(Event):
    """A team's demo submission was stored (version 1) or edited (a later version)."""

    proposal_id: int
    version: int
    user: str


@dataclass(frozen=True)
class DemoScored(Event):
    proposal_id: int
    judge: str

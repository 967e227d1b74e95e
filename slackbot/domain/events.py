"""What happened in the week, said once by the use case that made it happen, and heard by
whatever must follow (cosmicpython's `domain/events.py`). Events are plain values: the message
bus runs their handlers after the transaction that raised them committed, so a handler never
sees a change that was rolled back, and one handler failing does not undo the change."""

from __future__ import annotations

from dataclasses import dataclass


class Event:
    """A fact, in the past tense."""


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

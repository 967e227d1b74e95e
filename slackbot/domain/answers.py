"""What a person is told after asking for something, as data: which answer (`Answer`) and
its facts (names, people, links, counts). The words live in one place, `blocks/replies.py`,
which also makes every fact safe to show (a name is escaped, a person is a mention)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Answer(Enum):
    # anyone
    NOT_ORGANIZER = "not_organizer"
    # organizers (organizing, officiating)
    NO_PROJECT_NUMBER = "no_project_number"
    NOT_OFFICIAL = "not_official"
    OPEN_AGAIN = "open_again"
    NOT_LIVE = "not_live"
    CLOSED = "closed"
    NONE_OPEN = "none_open"
    CONFIRM_CLOSE_ALL = "confirm_close_all"
    CLOSED_ALL = "closed_all"
    NOT_CLOSED = "not_closed"
    REOPENED = "reopened"
    BAD_SIZES = "bad_sizes"
    LIMITS_SET = "limits_set"
    NO_TARGET = "no_target"
    PROPOSER_NOT_MOVED = "proposer_not_moved"
    NO_SUCH_PERSON = "no_such_person"
    MOVED = "moved"
    APPROVE_OR_DECLINE = "approve_or_decline"
    DECIDED_BY = "decided_by"
    DECIDED_ELSEWHERE = "decided_elsewhere"
    DECIDED = "decided"
    LEAD_BY = "lead_by"
    SECOND_TEAM_EXISTS = "second_team_exists"
    NOBODY_WAITING = "nobody_waiting"
    SECOND_TEAM_STARTED = "second_team_started"
    SECOND_TEAM_STARTED_WITH = "second_team_started_with"
    DIGEST = "digest"
    SHEET_SENT = "sheet_sent"
    SCORES_SENT = "scores_sent"
    PROJECT_GONE = "project_gone"
    ALREADY_OFFICIAL_BY = "already_official_by"
    ALREADY_OFFICIAL = "already_official"
    CANNOT_BE_OFFICIAL = "cannot_be_official"
    MADE_OFFICIAL = "made_official"
    NOTED_NOT_YET = "noted_not_yet"
    # participants (editing, joining, join requests)
    NO_SUCH_PROJECT = "no_such_project"
    NOT_PROPOSER = "not_proposer"
    WITHDRAWN_NO_EDIT = "withdrawn_no_edit"
    NEEDS_CHANGES = "needs_changes"
    EDITED = "edited"
    ALREADY_STATUS = "already_status"
    WITHDRAWN = "withdrawn"
    PROPOSER_CANNOT_LEAVE = "proposer_cannot_leave"
    NOT_IN_TEAM = "not_in_team"
    LEFT = "left"
    NO_LONGER_TAKES = "no_longer_takes"
    OWN_PROJECT = "own_project"
    TEAMS_CLOSED = "teams_closed"
    NOT_OFFICIAL_TEAM = "not_official_team"
    ALREADY_IN = "already_in"
    ALREADY_ASKED = "already_asked"
    ASKED = "asked"


@dataclass(frozen=True)
class Person:
    """A person (a Slack user id), shown as a mention."""

    id: str


@dataclass(frozen=True)
class People:
    """People in order, shown as mentions."""

    ids: tuple[str, ...]


@dataclass(frozen=True)
class Linked:
    """A name linked to a URL (just the name when the URL is missing or not safe)."""

    url: str | None
    label: str


@dataclass(frozen=True)
class Moment:
    """A time (epoch seconds), shown in each reader's own time zone."""

    at: float


# A plain str is user text or a word such as a status: shown exactly as it is (escaped).
Fact = str | int | Person | People | Linked | Moment


@dataclass(frozen=True)
class Said:
    """One answer and its facts, by name (the words' placeholders)."""

    answer: Answer
    facts: tuple[tuple[str, Fact], ...] = ()


def say(answer: Answer, **facts: Fact) -> Said:
    return Said(answer, tuple(sorted(facts.items())))

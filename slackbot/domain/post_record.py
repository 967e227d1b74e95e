"""What a proposal's post carries about itself, so that the week can be rebuilt from Slack.

The post on screen clips long answers and shows names, not the order people came in; its
message metadata carries the whole proposal: every answer as written, the proposer, the
languages and sizes, its status, the second team it belongs to, and its team as the join
signals and leaves it is made of (a join by button is no reaction, and a reaction left on the
post by someone who left or was moved counts for nothing: only this record knows either), with
the official team's organizer and channel. The record is kept current at every redraw.

It travels as one JSON string in the metadata's payload (Slack's metadata payload takes flat
values and objects of flat values; a string holds any shape), with a version number.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from slackbot.domain.proposal import Proposal, Status

VERSION = 1


@dataclass(frozen=True)
class JoinRecord:
    user_id: str
    source: str  # an emoji name, or "+button" / "+organizer"
    at: float
    present: bool = True
    inferred: bool = False  # read from the post's reactions, not seen as an event


@dataclass(frozen=True)
class LeaveRecord:
    user_id: str
    at: float


@dataclass(frozen=True)
class OfficialRecord:
    by: str
    at: float
    members: list[str]
    channel_id: str | None = None
    channel_name: str | None = None


@dataclass(frozen=True)
class PostRecord:
    proposal_id: int
    proposer_id: str
    status: Status
    answers: dict[str, str]
    languages: list[str]
    language_other: str = ""
    min_team_size: int | None = None
    max_team_size: int | None = None
    second_of: int | None = None
    variants: list[int] = field(default_factory=list)
    created_at: float = 0.0
    posted_at: float | None = None
    edited_at: float | None = None
    joins: list[JoinRecord] = field(default_factory=list)
    leaves: list[LeaveRecord] = field(default_factory=list)
    official: OfficialRecord | None = None


class NotARecord(ValueError):
    """Metadata that is not a record this bot wrote (another version, a forged payload)."""


def record_of(
    proposal: Proposal,
    joins: list[JoinRecord],
    leaves: list[LeaveRecord],
    official: OfficialRecord | None,
) -> PostRecord:
    return PostRecord(
        proposal_id=proposal.id,
        proposer_id=proposal.proposer_id,
        status=proposal.status,
        answers=dict(proposal.answers),
        languages=list(proposal.languages),
        language_other=proposal.language_other,
        min_team_size=proposal.min_team_size,
        max_team_size=proposal.max_team_size,
        second_of=proposal.second_of,
        variants=list(proposal.variants or []),
        created_at=proposal.created_at,
        posted_at=proposal.posted_at,
        edited_at=proposal.edited_at,
        joins=joins,
        leaves=leaves,
        official=official,
    )


def encode(record: PostRecord) -> str:
    official = record.official
    return json.dumps(
        {
            "v": VERSION,
            "proposer": record.proposer_id,
            "status": record.status.value,
            "answers": record.answers,
            "languages": record.languages,
            "language_other": record.language_other,
            "min": record.min_team_size,
            "max": record.max_team_size,
            "second_of": record.second_of,
            "variants": record.variants,
            "created_at": record.created_at,
            "posted_at": record.posted_at,
            "edited_at": record.edited_at,
            "joins": [
                [j.user_id, j.source, j.at, int(j.present), int(j.inferred)] for j in record.joins
            ],
            "leaves": [[x.user_id, x.at] for x in record.leaves],
            "official": None
            if official is None
            else {
                "by": official.by,
                "at": official.at,
                "members": official.members,
                "channel_id": official.channel_id,
                "channel_name": official.channel_name,
            },
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def decode(proposal_id: object, text: object) -> PostRecord:
    """The record in a post's metadata; NotARecord if it is not one this bot could have
    written (every field is checked: a rebuild never stores a shape it does not know)."""
    try:
        data = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        data = None
    if not isinstance(data, dict) or data.get("v") != VERSION:
        raise NotARecord("not a version-1 record")
    if not isinstance(proposal_id, int) or isinstance(proposal_id, bool) or proposal_id < 1:
        raise NotARecord("proposal_id")
    answers = data.get("answers")
    if not isinstance(answers, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in answers.items()
    ):
        raise NotARecord("answers")
    try:
        status = Status(data.get("status"))
    except ValueError:
        raise NotARecord("status") from None
    joins = []
    for item in _list(data.get("joins")):
        if not (
            isinstance(item, list)
            and len(item) == 5
            and isinstance(item[0], str)
            and isinstance(item[1], str)
            and _number(item[2])
            and item[3] in (0, 1)
            and item[4] in (0, 1)
        ):
            raise NotARecord("joins")
        joins.append(JoinRecord(item[0], item[1], float(item[2]), bool(item[3]), bool(item[4])))
    leaves = []
    for item in _list(data.get("leaves")):
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)):
            raise NotARecord("leaves")
        if not _number(item[1]):
            raise NotARecord("leaves")
        leaves.append(LeaveRecord(item[0], float(item[1])))
    return PostRecord(
        proposal_id=proposal_id,
        proposer_id=_text(data.get("proposer"), "proposer"),
        status=status,
        answers=answers,
        languages=[_text(x, "languages") for x in _list(data.get("languages"))],
        language_other=_text(data.get("language_other") or "", "language_other"),
        min_team_size=_optional_int(data.get("min"), "min"),
        max_team_size=_optional_int(data.get("max"), "max"),
        second_of=_optional_int(data.get("second_of"), "second_of"),
        variants=[_int(x, "variants") for x in _list(data.get("variants"))],
        created_at=float(data["created_at"]) if _number(data.get("created_at")) else 0.0,
        posted_at=float(data["posted_at"]) if _number(data.get("posted_at")) else None,
        edited_at=float(data["edited_at"]) if _number(data.get("edited_at")) else None,
        joins=joins,
        leaves=leaves,
        official=_official(data.get("official")),
    )


def _official(value: Any) -> OfficialRecord | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not _number(value.get("at")):
        raise NotARecord("official")
    channel_id = value.get("channel_id")
    channel_name = value.get("channel_name")
    return OfficialRecord(
        by=_text(value.get("by"), "official.by"),
        at=float(value["at"]),
        members=[_text(m, "official.members") for m in _list(value.get("members"))],
        channel_id=channel_id if isinstance(channel_id, str) else None,
        channel_name=channel_name if isinstance(channel_name, str) else None,
    )


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise NotARecord("a list")
    return value


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise NotARecord(name)
    return value


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _int(value: Any, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise NotARecord(name)
    return value


def _optional_int(value: Any, name: str) -> int | None:
    return None if value is None else _int(value, name)

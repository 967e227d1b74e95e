"""What a post carries about its proposal (domain/post_record.py): it reads back whole, and a
record this bot could not have written is refused field by field, never half-stored."""

from __future__ import annotations

import json

import pytest

from slackbot.domain.post_record import (
    JoinRecord,
    LeaveRecord,
    NotARecord,
    OfficialRecord,
    decode,
    encode,
    record_of,
)
from slackbot.domain.proposal import Proposal, Status


def proposal() -> Proposal:
    return Proposal(
        id=7,
        proposer_id="U0ALICE",
        status=Status.OFFICIAL,
        answers={"name": "CLIP in Hindi", "description": "x" * 2500},
        languages=["hindi"],
        min_team_size=2,
        second_of=3,
        variants=[4],
        created_at=1.5,
        posted_at=2.5,
    )


def test_a_record_reads_back_whole() -> None:
    joins = [
        JoinRecord("U0BOB", "raised_hand", 10.0),
        JoinRecord("U0CAROL", "+button", 11.0),
        JoinRecord("U0DAVE", "raised_hand", 12.0, present=False, inferred=True),
    ]
    official = OfficialRecord("U0ORG1", 20.0, ["U0ALICE", "U0BOB"], "C0TEAM", "team-clip")
    record = record_of(proposal(), joins, [LeaveRecord("U0ERIN", 13.0)], official)
    assert decode(7, encode(record)) == record


@pytest.mark.parametrize(
    "change",
    [
        {"v": 2},
        {"status": "lost"},
        {"answers": {"name": 3}},
        {"joins": [["U0BOB", "raised_hand", "soon", 1, 0]]},
        {"joins": [["U0BOB", "raised_hand", 1.0]]},
        {"leaves": [["U0BOB"]]},
        {"official": {"by": "U0ORG1"}},
        {"min": "2"},
    ],
)
def test_a_record_of_another_shape_is_refused(change: dict[str, object]) -> None:
    data = json.loads(encode(record_of(proposal(), [], [], None)))
    data.update(change)
    with pytest.raises(NotARecord):
        decode(7, json.dumps(data))


@pytest.mark.parametrize("proposal_id", [None, "7", True, 0])
def test_a_record_needs_its_proposal_id(proposal_id: object) -> None:
    with pytest.raises(NotARecord):
        decode(proposal_id, encode(record_of(proposal(), [], [], None)))

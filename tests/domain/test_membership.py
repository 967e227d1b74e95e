"""Membership is exact whatever the order and duplication of reaction events."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from slackbot.domain.proposal import Status
from slackbot.domain.teams import BUTTON, Signal, Team, build_team, channel_name, joiners
from slackbot.domain.validation import Draft
from slackbot.store.db import Store
from slackbot.store.membership_repository import Memberships
from slackbot.store.proposal_repository import Proposals
from slackbot.store.standing_columns import StandingColumns

USERS = ["U1", "U2", "U3", "U4"]
EMOJI = ["raised_hand", "hand"]
LEAVE = "+leave"  # in the generated streams: the person leaves from the Home tab


def fresh(tmp: Path) -> tuple[Memberships, Proposals, int]:
    store = Store(tmp / "m.db")
    store.migrate()
    standings = StandingColumns(store, default_threshold=3, default_max=3)
    proposals = Proposals(store, standings)
    draft = Draft(answers={"name": "GPT2 poetry generation in German"}, languages=["german"])
    proposal, _ = proposals.create(draft, "U0PROP", submission_key="k")
    store.conn.execute(
        "UPDATE proposals SET status = ?, channel = 'C1', ts = '1.0'", (Status.OPEN.value,)
    )
    return Memberships(store, standings), proposals, proposal.id


operations = st.lists(
    st.tuples(st.sampled_from(USERS), st.sampled_from([*EMOJI, BUTTON, LEAVE]), st.booleans()),
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(ops=operations, data=st.data())
def test_any_order_and_duplication_gives_the_final_reactions(
    tmp_path_factory,
    ops: list[tuple[str, str, bool]],
    data: st.DataObject,  # type: ignore[no-untyped-def]
) -> None:
    memberships, proposals, pid = fresh(tmp_path_factory.mktemp("m"))
    # Slack's truth: the reactions after all operations, in order.
    truth: set[tuple[str, str]] = set()
    events = []
    for at, (user, emoji, added) in enumerate(ops, start=1):
        if emoji == LEAVE or (emoji == BUTTON and not added):  # the Leave button, Home's Leave
            truth -= {(user, e) for e in [*EMOJI, BUTTON]}  # outweigh every earlier signal
            events.append(Signal(user, LEAVE, True, float(at)))
            continue
        if emoji == BUTTON:
            truth.add((user, BUTTON))
        elif added:
            truth.add((user, emoji))
        else:  # removing a reaction leaves, however the person joined
            truth -= {(user, emoji), (user, BUTTON)}
        events.append(Signal(user, emoji, added, float(at)))
    # Delivery: each event at least once, some several times, in any order.
    copies = data.draw(st.lists(st.integers(1, 3), min_size=len(events), max_size=len(events)))
    pairs = zip(events, copies, strict=True)
    stream = list(itertools.chain.from_iterable([e] * n for e, n in pairs))
    stream = data.draw(st.permutations(stream))
    proposal = proposals.get(pid)
    assert proposal is not None
    applied: list[Signal] = []
    for signal in stream:
        before = rule_team(applied)
        if signal.source == LEAVE:
            change = memberships.leave(proposal, signal.user_id, signal.at)
        else:
            change = memberships.apply(proposal, signal)
        applied.append(signal)
        after = rule_team(applied)
        # Each change says exactly what the rule's teams before and after differ by.
        assert set(change.joined) == set(after.members) - set(before.members)
        assert set(change.left) == set(before.members) - set(after.members)
        assert set(change.queued) == set(after.waitlist) - set(before.waitlist)
        assert set(change.unqueued) == set(before.waitlist) - set(after.waitlist)
        assert (change.after.size, change.after.waiting) == (after.size, len(after.waitlist))
    team = memberships.team(proposal)
    assert (team.members, team.waitlist) == (
        rule_team(applied).members,
        rule_team(applied).waitlist,
    )
    wanted = {user for user, _ in truth}
    assert set(team.members + team.waitlist) == wanted | {"U0PROP"}
    assert len(team.members) <= 3


def rule_team(signals: list[Signal]) -> Team:
    """The team `domain.teams` says these signals make (last writer wins per source)."""
    latest: dict[tuple[str, str], Signal] = {}
    left_at: dict[str, float] = {}
    for signal in signals:
        if signal.source == LEAVE:
            left_at[signal.user_id] = max(signal.at, left_at.get(signal.user_id, 0.0))
            continue
        key = (signal.user_id, signal.source)
        if key not in latest or signal.at > latest[key].at:
            latest[key] = signal
    wishes = joiners(list(latest.values()), left_at)
    return build_team(1, "U0PROP", wishes, threshold=3, max_size=3)


def test_reconcile_applies_missed_events_but_not_over_newer_ones(tmp_path: Path) -> None:
    memberships, proposals, pid = fresh(tmp_path)
    proposal = proposals.get(pid)
    assert proposal is not None
    memberships.apply(proposal, Signal("U1", "raised_hand", True, 10.0))
    memberships.apply(proposal, Signal("U2", "raised_hand", True, 30.0))  # after the snapshot
    # Snapshot at t=20 says: U3 reacted (event lost), U1 removed (event lost), U2 not yet seen.
    memberships.reconcile(proposal, {("U3", "raised_hand")}, EMOJI, at=20.0)
    team = memberships.team(proposal)
    assert set(team.members) == {"U0PROP", "U2", "U3"}
    # An old event arriving after the snapshot changes nothing.
    memberships.apply(proposal, Signal("U1", "raised_hand", True, 15.0))
    assert "U1" not in memberships.team(proposal).members


def test_leaving_outweighs_earlier_reactions_until_a_new_one(tmp_path: Path) -> None:
    memberships, proposals, pid = fresh(tmp_path)
    proposal = proposals.get(pid)
    assert proposal is not None
    memberships.apply(proposal, Signal("U1", "raised_hand", True, 10.0))
    memberships.leave(proposal, "U1", at=11.0)
    assert "U1" not in memberships.team(proposal).members
    memberships.apply(proposal, Signal("U1", "hand", True, 12.0))
    assert "U1" in memberships.team(proposal).members


def test_waitlist_moves_up_in_join_order() -> None:
    team = build_team(1, "P", {"A": 1.0, "B": 2.0, "C": 3.0, "D": 4.0}, threshold=2, max_size=3)
    assert team.members == ["P", "A", "B"] and team.waitlist == ["C", "D"]
    team = build_team(1, "P", {"A": 1.0, "C": 3.0, "D": 4.0}, threshold=2, max_size=3)
    assert team.members == ["P", "A", "C"] and team.waitlist == ["D"]


def test_channel_names_are_valid_and_unique() -> None:
    name = channel_name("PreTrain RoBERTa from scratch in Hindi! (v2) — ünïcode")
    assert name == "team-pretrain-roberta-from-scratch-in-hindi-v2-unicode"
    assert channel_name("x" * 200).startswith("team-") and len(channel_name("x" * 200)) <= 80
    assert channel_name("GPT2 poetry", {"team-gpt2-poetry"}) == "team-gpt2-poetry-2"
    assert channel_name("中文") == "team"


def test_join_by_button_leave_by_reaction_and_the_reverse(tmp_path: Path) -> None:
    memberships, proposals, pid = fresh(tmp_path)
    proposal = proposals.get(pid)
    assert proposal is not None
    memberships.apply(proposal, Signal("U1", BUTTON, True, 10.0))
    memberships.apply(proposal, Signal("U1", "raised_hand", True, 11.0))
    memberships.apply(proposal, Signal("U1", "raised_hand", False, 12.0))
    assert "U1" not in memberships.team(proposal).members  # joined by button, left by reaction
    memberships.apply(proposal, Signal("U2", "raised_hand", True, 20.0))
    memberships.leave(proposal, "U2", at=21.0)  # the Leave button
    assert "U2" not in memberships.team(proposal).members
    # Out of order: the removal arrives before the button join it came after.
    memberships.apply(proposal, Signal("U3", "raised_hand", False, 31.0))
    memberships.apply(proposal, Signal("U3", BUTTON, True, 30.0))
    assert "U3" not in memberships.team(proposal).members
    # A removal reconciliation inferred (the event was lost) does not undo a button join.
    memberships.apply(proposal, Signal("U4", "raised_hand", True, 40.0))
    memberships.apply(proposal, Signal("U4", BUTTON, True, 41.0))
    memberships.reconcile(proposal, set(), EMOJI, at=50.0)
    assert "U4" in memberships.team(proposal).members


def test_an_official_team_is_told_by_its_size_alone() -> None:
    from slackbot.domain.teams import TeamStatus, size_words

    assert size_words(2, 3, 5, 0, TeamStatus.OFFICIAL) == "2 members"
    assert size_words(1, 3, 5, 0, TeamStatus.OFFICIAL) == "1 member"
    assert "needs 1 more" in size_words(2, 3, 5, 0, TeamStatus.LOOKING)

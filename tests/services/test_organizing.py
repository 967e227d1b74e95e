"""The organizers' controls, handler by handler (undo, close, reopen, sizes, moves, join
requests, a second team, the digest now, the export): a real unit of work on a migrated
database, the bus wired as the bootstrap wires it, FakeMessenger and FakeUpdates; milliseconds
each. The whole stories (`/organize …` in Slack) are in tests/listeners."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from slackbot.domain.answers import Answer, Person
from slackbot.domain.events import OfficialUndone, TeamChanged
from slackbot.domain.proposal import Status
from slackbot.services.alerting import OVERSUBSCRIBED
from slackbot.services.notices import DECLINED, PLACE
from slackbot.services.officiating import MakeOfficial
from slackbot.services.organizing import (
    CloseAll,
    CloseProposal,
    DecideJoinRequest,
    DigestNow,
    MayOrganize,
    MovePerson,
    ReopenProposal,
    SendExport,
    SetLimits,
    StartSecondTeam,
    UndoOfficial,
)
from slackbot.store.alert_records import Alerts
from tests.services.test_officiating import ALERT_TS, CHANNEL, ORG, World, build


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    built = build(tmp_path)
    yield built
    built.store.close()


def facts(outcome: object) -> dict[str, object]:
    return dict(outcome.said.facts)  # type: ignore[attr-defined]


# --- on one project: refused, unknown, shown ----------------------------------------------
@pytest.mark.parametrize(
    "command",
    [
        UndoOfficial("U1", 1),
        CloseProposal("U1", 1),
        ReopenProposal("U1", 1),
        SetLimits("U1", 1, 2, 5),
        MovePerson("U1", 1, "U2", 2),
        DecideJoinRequest("U1", 1, "U2", "approved"),
        StartSecondTeam("U1", 1, "proposer"),
        CloseAll("U1", 1),
        DigestNow("U1"),
        SendExport("U1", "csv"),
    ],
)
def test_each_control_is_refused_to_anyone_but_an_organizer(world: World, command: object) -> None:
    world.post("Hindi RoBERTa", ("U1", "U2"))
    world.post("Tamil T5")
    outcome = world.bus.handle(command)
    assert not outcome.ok and outcome.said.answer is Answer.NOT_ORGANIZER
    assert world.actions() == [] and world.updates.posts == [] and world.updates.homes == set()
    assert world.digests == [] and world.messenger.uploads == [] and world.messenger.sent == []


def test_an_unknown_project_number_is_said_so(world: World) -> None:
    outcome = world.bus.handle(CloseProposal(ORG, 42))
    assert not outcome.ok and outcome.said.answer is Answer.NO_PROJECT_NUMBER
    assert facts(outcome) == {"id": 42}


def test_only_an_organizer_may_use_organize_and_asking_changes_nothing(world: World) -> None:
    world.post("Hindi RoBERTa", ("U1", "U2"))
    assert world.bus.handle(MayOrganize(ORG)) is None
    assert world.bus.handle(MayOrganize("U0ORG2")) is None  # every organizer, not only the first
    for someone in ("U1", "U0PROP", "", "u0org1"):
        refused = world.bus.handle(MayOrganize(someone))
        assert not refused.ok and refused.said.answer is Answer.NOT_ORGANIZER
    assert world.actions() == [] and world.messenger.sent == [] and world.heard == []
    assert world.updates.posts == [] and world.updates.homes == set()


# --- undo, close, reopen ------------------------------------------------------------------
def test_undo_official_opens_the_team_again_and_is_heard_after_its_commit(world: World) -> None:
    project = world.post("Hindi RoBERTa", ("U1",))
    not_official = world.bus.handle(UndoOfficial(ORG, project.id))
    assert not not_official.ok and not_official.said.answer is Answer.NOT_OFFICIAL
    world.bus.handle(MakeOfficial(ORG, project.id))
    world.updates.posts.clear()
    undone = world.bus.handle(UndoOfficial(ORG, project.id))
    assert undone.ok and undone.said.answer is Answer.OPEN_AGAIN
    assert world.get(project.id).status is Status.OPEN
    assert world.events(OfficialUndone) == [OfficialUndone(project.id)]
    assert world.actions() == ["make_official", "undo_official"]
    assert world.updates.posts == [project.id]
    assert world.updates.homes == {"U0PROP", ORG, "U0ORG2"}


def test_close_then_reopen_and_an_official_team_reopens_official(world: World) -> None:
    project = world.post("Hindi RoBERTa", ("U1",))
    not_closed = world.bus.handle(ReopenProposal(ORG, project.id))
    assert not not_closed.ok and not_closed.said.answer is Answer.NOT_CLOSED
    closed = world.bus.handle(CloseProposal(ORG, project.id))
    assert closed.ok and closed.said.answer is Answer.CLOSED
    assert world.get(project.id).status is Status.CLOSED
    again = world.bus.handle(CloseProposal(ORG, project.id))
    assert not again.ok and again.said.answer is Answer.NOT_LIVE
    reopened = world.bus.handle(ReopenProposal(ORG, project.id))
    assert reopened.ok and facts(reopened)["status"] == "open"
    world.bus.handle(MakeOfficial(ORG, project.id))
    world.bus.handle(CloseProposal(ORG, project.id))
    back = world.bus.handle(ReopenProposal(ORG, project.id))
    assert facts(back)["status"] == "official"
    assert world.get(project.id).status is Status.OFFICIAL
    assert world.actions() == ["close", "reopen", "make_official", "close", "reopen"]


def test_close_all_asks_for_the_count_then_closes_every_open_one(world: World) -> None:
    none = world.bus.handle(CloseAll(ORG, None))
    assert not none.ok and none.said.answer is Answer.NONE_OPEN
    first, second = world.post("Hindi RoBERTa"), world.post("Tamil T5", proposer="U0TAMIL")
    official = world.post("Bengali GPT2", ("U1",))
    world.bus.handle(MakeOfficial(ORG, official.id))
    world.updates.posts.clear()
    asked = world.bus.handle(CloseAll(ORG, None))
    assert not asked.ok and asked.said.answer is Answer.CONFIRM_CLOSE_ALL
    assert facts(asked) == {"count": 2}
    wrong = world.bus.handle(CloseAll(ORG, 3))
    assert not wrong.ok and world.get(first.id).status is Status.OPEN
    done = world.bus.handle(CloseAll(ORG, 2))
    assert done.ok and done.said.answer is Answer.CLOSED_ALL
    statuses = [world.get(p.id).status for p in (first, second, official)]
    assert statuses == [Status.CLOSED, Status.CLOSED, Status.OFFICIAL]
    assert world.updates.posts == [first.id, second.id]
    assert {"U0PROP", "U0TAMIL", ORG, "U0ORG2"} <= world.updates.homes
    assert world.actions().count("close_all") == 2


# --- sizes --------------------------------------------------------------------------------
def test_limits_are_checked_and_a_team_now_at_its_threshold_claims_its_alert(
    world: World,
) -> None:
    project = world.post("Hindi RoBERTa", ("U1",))  # 2 of a threshold of 3
    bad = world.bus.handle(SetLimits(ORG, project.id, 5, 3))
    assert not bad.ok and bad.said.answer is Answer.BAD_SIZES
    assert world.updates.due == 0
    done = world.bus.handle(SetLimits(ORG, project.id, 2, 5))
    assert done.ok and facts(done) == {"maximum": 5, "minimum": 2, "name": "Hindi RoBERTa"}
    updated = world.get(project.id)
    assert (updated.min_team_size, updated.max_team_size) == (2, 5)
    alerts: Alerts = world.uow.alerts
    assert alerts.messages(project.id) == [] and world.updates.due == 1  # claimed, to be sent
    assert world.actions() == ["set_limits"] and world.updates.posts == [project.id]


# --- moving a person ----------------------------------------------------------------------
def test_an_organizer_moves_a_person_who_is_told_and_both_teams_change(world: World) -> None:
    source = world.post("Hindi RoBERTa", ("U1", "U2"))
    target = world.post("Tamil T5", proposer="U0TAMIL")
    moved = world.bus.handle(MovePerson(ORG, source.id, "U1", target.id))
    assert moved.ok and facts(moved) == {"name": "Tamil T5", "user": Person("U1")}
    assert world.members(source.id) == ["U0PROP", "U2"]
    assert world.members(target.id) == ["U0TAMIL", "U1"]
    # The join queues its own notice; the last word, told, is why.
    places = [(n.user_id, n.detail) for n in world.queued() if n.kind == PLACE]
    assert places[-1] == ("U1", {"reason": "moved"}) and {u for u, _ in places} == {"U1"}
    changed = world.events(TeamChanged)
    assert [(e.proposal_id, e.joined, e.left) for e in changed] == [
        (source.id, (), ("U1",)),
        (target.id, ("U1",), ()),
    ]
    assert world.actions() == ["move"]


def test_a_move_is_refused_for_a_proposer_a_stranger_or_a_closed_target(world: World) -> None:
    source = world.post("Hindi RoBERTa", ("U1",))
    target = world.post("Tamil T5", proposer="U0TAMIL")
    proposer = world.bus.handle(MovePerson(ORG, source.id, "U0PROP", target.id))
    assert proposer.said.answer is Answer.PROPOSER_NOT_MOVED
    world.messenger.refuse.add("U0GHOST")  # users.info says no such person
    ghost = world.bus.handle(MovePerson(ORG, source.id, "U0GHOST", target.id))
    assert ghost.said.answer is Answer.NO_SUCH_PERSON
    world.uow.proposals.set_status(target.id, Status.CLOSED)
    closed = world.bus.handle(MovePerson(ORG, source.id, "U1", target.id))
    assert closed.said.answer is Answer.NO_TARGET
    assert world.members(source.id) == ["U0PROP", "U1"] and world.actions() == []
    assert world.heard == []


# --- a request to join an official team ---------------------------------------------------
def test_the_first_decision_on_a_join_request_wins(world: World) -> None:
    project = world.post("Hindi RoBERTa", ("U1",))
    world.bus.handle(MakeOfficial(ORG, project.id))
    world.queued()
    with world.uow:
        world.uow.join_requests.ask(project.id, "U0DAVE")
        world.uow.commit()
    wrong = world.bus.handle(DecideJoinRequest(ORG, project.id, "U0DAVE", "maybe"))
    assert wrong.said.answer is Answer.APPROVE_OR_DECLINE
    approved = world.bus.handle(DecideJoinRequest("U0ORG2", project.id, "U0DAVE", "approved"))
    assert approved.ok and facts(approved) == {"outcome": "approved", "user": Person("U0DAVE")}
    assert world.members(project.id) == ["U0PROP", "U1", "U0DAVE"]
    places = [(n.user_id, n.detail) for n in world.queued() if n.kind == PLACE]
    assert places[-1] == ("U0DAVE", {"reason": "approved"})
    assert {u for u, _ in places} == {"U0DAVE"}
    [joined] = world.events(TeamChanged)
    assert joined.joined == ("U0DAVE",) and joined.official
    late = world.bus.handle(DecideJoinRequest(ORG, project.id, "U0DAVE", "declined"))
    assert not late.ok and late.said.answer is Answer.DECIDED_BY
    assert facts(late) == {"organizer": Person("U0ORG2")}
    assert world.actions() == ["make_official", "join_request"]


def test_a_declined_request_tells_the_person(world: World) -> None:
    project = world.post("Hindi RoBERTa", ("U1",))
    world.bus.handle(MakeOfficial(ORG, project.id))
    world.queued()
    with world.uow:
        world.uow.join_requests.ask(project.id, "U0DAVE")
        world.uow.commit()
    assert world.bus.handle(DecideJoinRequest(ORG, project.id, "U0DAVE", "declined")).ok
    assert [(n.user_id, n.kind) for n in world.queued()] == [("U0DAVE", DECLINED)]
    assert world.members(project.id) == ["U0PROP", "U1"]


# --- a second team ------------------------------------------------------------------------
def test_a_second_team_takes_the_waitlist_and_is_posted_once(world: World) -> None:
    # A team of 4 at most: the proposer and three; U4 and U5 wait.
    project = world.post("Hindi RoBERTa", ("U1", "U2", "U3", "U4", "U5"))
    assert world.waitlist(project.id) == ["U4", "U5"]
    world.alerted(project, OVERSUBSCRIBED)
    wrong = world.bus.handle(StartSecondTeam(ORG, project.id, "anyone"))
    assert wrong.said.answer is Answer.LEAD_BY
    started = world.bus.handle(StartSecondTeam(ORG, project.id, "waitlist"))
    assert started.ok and started.said.answer is Answer.SECOND_TEAM_STARTED_WITH
    assert facts(started)["lead"] == Person("U4") and facts(started)["count"] == 2
    [second] = [p for p in world.uow.proposals.second_teams(project.id) if p.id != project.id]
    assert second.name == "Hindi RoBERTa (team 2)" and second.proposer_id == "U4"
    assert world.members(second.id) == ["U4", "U5"] and world.waitlist(project.id) == []
    [posted] = world.messenger.to(CHANNEL, "post")
    assert "Hindi RoBERTa (team 2)" in posted.text and world.get(second.id).ts == posted.ts
    places = {n.user_id: n.detail for n in world.queued() if n.kind == PLACE}
    assert places == {"U4": {"reason": "lead"}, "U5": {"reason": "moved"}}
    # The alert now says who took the waitlist; the first post links the second.
    assert world.alert_redraws() == [ALERT_TS] and project.id in world.updates.posts
    # Heard after the handler committed: the first team's waitlist emptied, one by one.
    changed = world.events(TeamChanged)
    assert [(e.proposal_id, e.waitlist_changed) for e in changed] == [(project.id, True)] * 2
    again = world.bus.handle(StartSecondTeam(ORG, project.id, "proposer"))
    assert not again.ok and again.said.answer is Answer.SECOND_TEAM_EXISTS
    assert world.actions() == ["second_team"]


def test_no_second_team_without_a_waitlist(world: World) -> None:
    project = world.post("Hindi RoBERTa", ("U1",))
    outcome = world.bus.handle(StartSecondTeam(ORG, project.id, "proposer"))
    assert not outcome.ok and outcome.said.answer is Answer.NOBODY_WAITING
    assert world.messenger.sent == [] and world.actions() == []


# --- the digest now, the export -----------------------------------------------------------
def test_the_digest_now_and_the_export_are_recorded(world: World) -> None:
    digest = world.bus.handle(DigestNow(ORG))
    assert digest.ok and facts(digest) == {"outcome": "posted"}
    sheet = world.bus.handle(SendExport(ORG, "csv"))
    assert sheet.ok and sheet.said.answer is Answer.SHEET_SENT
    scores = world.bus.handle(SendExport(ORG, "json", scores=True))
    assert scores.said.answer is Answer.SCORES_SENT and facts(scores) == {"format": "JSON"}
    assert world.digests == ["now"]
    uploads = world.messenger.uploads
    sent = [(u["to"], u["filename"].rsplit(".", 1)[1], "scores" in u["title"]) for u in uploads]
    assert sent == [(ORG, "csv", False), (ORG, "json", True)]
    assert (
        uploads[0]["content"].startswith("ID,Project,") and '"scores": []' in uploads[1]["content"]
    )
    assert world.actions() == ["digest_now", "export", "export"]

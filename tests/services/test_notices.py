"""The notices outbox's sender, on its own: a real unit of work, FakeMessenger; one DM per
person written from the team as it is when sent, paced by the budget, kept when Slack cannot
be reached or the bot may no longer act, given up when Slack refuses for good. The whole
stories are in tests/listeners (test_team_life.py, test_organizers_week.py)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from slackbot.domain.delivery import Delivery as Answered
from slackbot.services.alerting import record_decision
from slackbot.services.joining import ApplyReactions, JoinTeam, ReactionSignal
from slackbot.services.notices import send_notices
from slackbot.store.notices import REMINDER, Notices
from tests.services.outbox_world import ORGS, World, build

FLUSH = float("inf")  # what the refresher passes when it flushes: every notice is due


@pytest.fixture
def world(tmp_path: Path) -> World:
    return build(tmp_path)


def send(world: World, now: float = FLUSH) -> int:
    return send_notices(now, uow=world.uow, messenger=world.messenger, settings=world.settings)


def unsent(world: World) -> int:
    return int(
        world.store.conn.execute("SELECT COUNT(*) FROM notices WHERE sent_at IS NULL").fetchone()[0]
    )


def test_each_person_hears_their_place_and_the_proposer_the_news_in_one_dm(world: World) -> None:
    project = world.post("Hindi RoBERTa")
    world.join(project, "U1", "U2")
    assert send(world, time.time()) == 0  # told a few seconds after the change, not at once
    assert send(world) == 3
    # Written from the team as it is when sent: U1 hears it is complete.
    assert world.dms("U1") == [
        ":raised_hand: You joined Hindi RoBERTa (3 members · 4 max). The team is complete: "
        "the organizers have been told and make it official."
    ]
    assert world.dms("U0PROP") == [
        "News for Hindi RoBERTa: U1, U2 joined. The team now: 3 members · 4 max."
    ]
    assert send(world) == 0 and unsent(world) == 0


def test_who_joined_and_left_before_the_dm_hears_nothing(world: World) -> None:
    project = world.post("Hindi RoBERTa")
    assert project.ts is not None
    now = time.time()
    world.bus.handle(
        ApplyReactions(
            (
                ReactionSignal(project.ts, "U1", "raised_hand", True, now),
                ReactionSignal(project.ts, "U1", "raised_hand", False, now + 1),
            )
        )
    )
    send(world)
    assert world.dms("U1") == [] and world.dms("U0PROP") == []
    assert unsent(world) == 0


def test_no_room_in_the_budget_keeps_the_notices_for_a_moment(world: World) -> None:
    project = world.post("Hindi RoBERTa")
    world.join(project, "U1")
    world.messenger.budget["chat.postMessage"] = 0
    assert send(world) == 0 and world.messenger.sent == [] and unsent(world) == 2
    world.messenger.budget.clear()
    world.store.conn.execute("UPDATE notices SET due_at = 0")
    assert send(world) == 2


def test_a_lost_access_keeps_every_notice_for_the_next_start(world: World) -> None:
    project = world.post("Hindi RoBERTa")
    world.join(project, "U1")
    world.messenger.lose_access("token_revoked")
    assert send(world) == 0 and unsent(world) == 2
    due = world.store.conn.execute("SELECT MIN(due_at) FROM notices").fetchone()[0]
    assert due > time.time() + 3000  # an hour on


def test_slack_out_of_reach_is_tried_again_and_a_refusal_is_given_up(world: World) -> None:
    project = world.post("Hindi RoBERTa")
    world.join(project, "U1")
    world.messenger.failing["U1"] = Answered(error="URLError")  # Slack not reached
    world.messenger.failing["U0PROP"] = Answered(error="user_disabled", status=200)
    assert send(world) == 0
    assert unsent(world) == 1  # U1's place; the proposer's news is given up
    world.messenger.failing.clear()
    world.store.conn.execute("UPDATE notices SET due_at = 0, claimed_until = 0")
    assert send(world) == 1 and len(world.dms("U1")) == 1 and world.dms("U0PROP") == []


def test_a_reminder_is_a_message_of_its_own_with_the_alert(world: World) -> None:
    project = world.post("Hindi RoBERTa")
    world.join(project, "U1", "U2")
    send(world)
    record_decision(world.uow, project.id, ORGS[0], "not_yet")
    outbox: Notices = world.uow.notices
    with world.uow:
        outbox.add(ORGS[1], project.id, REMINDER)
        world.uow.commit()
    assert send(world) == 1
    [reminder] = world.messenger.to(ORGS[1], "dm")
    assert reminder.text.startswith("Reminder: ")
    assert reminder.blocks is not None
    assert "still waiting for you, 24 h after “Not yet”" in str(reminder.blocks[0])


def test_a_reminder_for_a_team_made_official_meanwhile_is_dropped(world: World) -> None:
    project = world.post("Hindi RoBERTa")
    world.join(project, "U1", "U2")
    send(world)
    outbox: Notices = world.uow.notices
    with world.uow:
        outbox.add(ORGS[1], project.id, REMINDER)
        world.uow.commit()
    world.official(project)
    assert send(world) == 0 and world.messenger.to(ORGS[1]) == [] and unsent(world) == 0


def test_the_join_button_twice_sends_one_place(world: World) -> None:
    project = world.post("Hindi RoBERTa")
    world.bus.handle(JoinTeam("U1", project.id, time.time()))
    world.bus.handle(JoinTeam("U1", project.id, time.time() + 1))
    send(world)
    assert len(world.dms("U1")) == 1

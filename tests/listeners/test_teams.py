"""Joining by reaction, live rosters, organizer alerts and official teams, over HTTP."""

from __future__ import annotations

import json
import threading

import pytest

from slackbot.blocks.replies import reply_text
from slackbot.domain.proposal import Status
from slackbot.local import CHANNEL, LocalBot, post_proposal
from slackbot.sandbox import FakeSlack
from slackbot.services.organizing import DecideJoinRequest
from slackbot.services.reconciliation import ReconcileDue

NAME = "PreTrain RoBERTa from scratch in Hindi"


@pytest.fixture
def bot_settings() -> dict[str, object]:
    return {
        "ORGANIZER_IDS": "U0ORG1,U0ORG2",
        "TEAM_SIZE_THRESHOLD": 3,
        "TEAM_SIZE_MAX": 4,
        "JOIN_EMOJI": "raised_hand,hand",
    }


def team(bot: LocalBot) -> tuple[list[str], list[str]]:
    (proposal,) = bot.rt.uow.proposals.with_status(Status.OPEN, Status.OFFICIAL)
    t = bot.rt.uow.memberships.team(proposal)
    return t.members, t.waitlist


def post_text(slack: FakeSlack, ts: str) -> str:
    return json.dumps(slack.message(CHANNEL, ts)["blocks"])


def alerts(slack: FakeSlack) -> list[dict]:
    return [m for user in ("U0ORG1", "U0ORG2") for m in slack.dms(user)]


def test_reacting_joins_and_the_post_shows_the_team(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    channel = slack.channel_id(CHANNEL)
    response = slack.react("U0BOB", channel, ts, "raised_hand")
    assert response is not None and response.status == 200 and response.elapsed < 3
    assert team(bot) == (["U0ALICE", "U0BOB"], [])
    bot.rt.updates.drain()
    text = post_text(slack, ts)
    assert "<@U0ALICE>, <@U0BOB>" in text and "2 of 3 members" in text and "needs 1 more" in text
    slack.unreact("U0BOB", channel, ts, "raised_hand")
    assert team(bot) == (["U0ALICE"], [])


def test_a_retried_event_counts_once(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    channel = slack.channel_id(CHANNEL)
    slack.react("U0BOB", channel, ts, "raised_hand")
    envelope = slack.last_event_envelope
    slack.unreact("U0BOB", channel, ts, "raised_hand")
    # The add is redelivered (Slack's retry) after the removal: it must not re-add.
    assert slack.redeliver(envelope, retry_num=1).status == 200
    assert slack.redeliver(envelope).status == 200  # and once more without a retry header
    assert team(bot) == (["U0ALICE"], [])


def test_two_join_emoji_and_skin_tones_count_once(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    channel = slack.channel_id(CHANNEL)
    slack.react("U0BOB", channel, ts, "raised_hand::skin-tone-4")
    slack.react("U0BOB", channel, ts, "hand")
    assert team(bot) == (["U0ALICE", "U0BOB"], [])
    slack.unreact("U0BOB", channel, ts, "hand")
    assert team(bot) == (["U0ALICE", "U0BOB"], [])  # still one join emoji on
    slack.unreact("U0BOB", channel, ts, "raised_hand::skin-tone-4")
    assert team(bot) == (["U0ALICE"], [])


def test_ignored_reactions(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    channel = slack.channel_id(CHANNEL)
    slack.react("U0BOT", channel, ts, "raised_hand")  # the bot itself
    slack.react("U0BOB", channel, ts, "thumbsup")  # not a join emoji
    slack.react("U0ALICE", channel, ts, "raised_hand")
    slack.unreact("U0ALICE", channel, ts, "raised_hand")  # the proposer stays
    other = slack.add_channel("random", members=["U0BOB", "U0BOT"])
    elsewhere = slack.add_message(other, "U0BOB", "PreTrain RoBERTa from scratch in Hindi?")
    slack.react("U0CAROL", other, elsewhere, "raised_hand")
    # A reaction event naming the post's ts but another channel (forged or mixed up).
    slack.send_event(
        {
            "type": "reaction_added",
            "user": "U0DAVE",
            "reaction": "raised_hand",
            "item": {"type": "message", "channel": other, "ts": ts},
            "event_ts": "1.0",
        }
    )
    assert team(bot) == (["U0ALICE"], [])


def test_threshold_alerts_each_organizer_once(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    channel = slack.channel_id(CHANNEL)
    slack.react("U0BOB", channel, ts, "raised_hand")
    assert alerts(slack) == []
    slack.react("U0CAROL", channel, ts, "raised_hand")
    sent = alerts(slack)
    assert len(sent) == 2
    body = json.dumps(sent[0]["blocks"])
    assert NAME in body and "<@U0BOB>" in body and "make_official" in body and "not_yet" in body
    # Flapping around the threshold, and a restart, never alert again.
    slack.unreact("U0CAROL", channel, ts, "raised_hand")
    slack.react("U0CAROL", channel, ts, "raised_hand")
    bot.restart()
    slack.react("U0DAVE", channel, ts, "raised_hand")
    assert len(alerts(slack)) == 2


def test_over_the_maximum_people_wait_and_move_up(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    channel = slack.channel_id(CHANNEL)
    for user in ("U0BOB", "U0CAROL", "U0DAVE", "U0ERIN", "U0FRANK"):
        slack.react(user, channel, ts, "raised_hand")
    assert team(bot) == (["U0ALICE", "U0BOB", "U0CAROL", "U0DAVE"], ["U0ERIN", "U0FRANK"])
    over = [m for m in alerts(slack) if "over-subscribed" in m["text"]]
    assert len(over) == 2  # told once, each organizer
    bot.rt.updates.drain()
    assert "Waitlist" in post_text(slack, ts) and "Full" in post_text(slack, ts)
    slack.unreact("U0CAROL", channel, ts, "raised_hand")
    assert team(bot) == (["U0ALICE", "U0BOB", "U0DAVE", "U0ERIN"], ["U0FRANK"])
    slack.react("U0CAROL", channel, ts, "raised_hand")
    assert len([m for m in alerts(slack) if "over-subscribed" in m["text"]]) == 2


def test_reactions_made_while_the_bot_was_down_are_applied(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    channel = slack.channel_id(CHANNEL)
    slack.react("U0BOB", channel, ts, "raised_hand")
    bot.stop()
    slack.react("U0CAROL", channel, ts, "raised_hand", deliver=False)
    slack.unreact("U0BOB", channel, ts, "raised_hand", deliver=False)
    bot.restart()
    assert bot.rt.bus.handle(ReconcileDue()) == 1  # the start-up pass: never reconciled yet
    assert team(bot) == (["U0ALICE", "U0CAROL"], [])
    assert slack.calls_to("conversations.history")  # a page of posts with their reactions
    assert bot.rt.bus.handle(ReconcileDue()) == 0  # done a moment ago


def test_a_burst_of_reactions_becomes_a_few_updates_showing_the_final_team(
    bot: LocalBot, slack: FakeSlack
) -> None:
    bot.restart(TEAM_SIZE_MAX=40, TEAM_SIZE_THRESHOLD=40)
    ts = post_proposal(slack, "U0ALICE", NAME)
    channel = slack.channel_id(CHANNEL)
    users = [f"U0P{i:03d}" for i in range(30)]
    for user in users:
        slack.add_user(user, user.lower())
    slack.reset_calls()
    threads = [
        threading.Thread(target=slack.react, args=(u, channel, ts, "raised_hand")) for u in users
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    bot.rt.updates.drain()
    updates = slack.calls_to("chat.update")
    assert 1 <= len(updates) <= 5
    final = post_text(slack, ts)
    assert "31 of 40 members" in final and all(f"<@{u}>" in final for u in users)


def test_a_non_organizer_cannot_make_a_team_official(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    channel = slack.channel_id(CHANNEL)
    slack.react("U0BOB", channel, ts, "raised_hand")
    slack.react("U0CAROL", channel, ts, "raised_hand")
    alert = slack.dms("U0ORG1")[-1]
    # Bob replays the organizer's button (a forged payload with the real value).
    response = slack.click(
        "U0BOB", "make_official", channel=alert["channel"], message_ts=alert["ts"]
    )
    assert response.status == 200
    assert "Only the organizers" in json.dumps(slack.ephemerals("U0BOB"))
    assert bot.rt.uow.proposals.with_status(Status.OFFICIAL) == []
    assert slack.calls_to("conversations.create") == []


def test_making_a_team_official(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    channel = slack.channel_id(CHANNEL)
    slack.react("U0BOB", channel, ts, "raised_hand")
    slack.react("U0CAROL", channel, ts, "raised_hand")
    alert = slack.dms("U0ORG1")[-1]
    slack.click("U0ORG1", "make_official", channel=alert["channel"], message_ts=alert["ts"])
    (official,) = bot.rt.uow.proposals.with_status(Status.OFFICIAL)
    (reply,) = slack.thread(CHANNEL, ts)
    assert "is officially created" in reply["text"] and "<@U0BOB>" in reply["text"]
    (created,) = slack.calls_to("conversations.create")
    assert created.response is not None
    team_channel = created.response["channel"]["id"]
    # The thread is told who, where the team works now and what comes next; the team
    # channel's welcome ("pinned here", "in this channel") is for the team channel only.
    assert f"<#{team_channel}>" in reply["text"] and "Next:" in reply["text"]
    thread_words = json.dumps(reply)
    for welcome_only in ("pinned here", "in this channel", "their message will come here"):
        assert welcome_only not in thread_words, welcome_only
    welcome = json.dumps(slack.messages(team_channel)[0]["blocks"])
    assert "pinned here" in welcome and "TPU VM in 2021" not in welcome
    assert created.args["name"] == "team-pretrain-roberta-from-scratch-in-hindi"
    invited = slack.calls_to("conversations.invite")[0].args["users"]
    assert set(str(invited).split(",")) == {"U0ALICE", "U0BOB", "U0CAROL"}
    bot.rt.updates.drain()
    assert "Official team" in post_text(slack, ts)
    # Both organizers' alerts now say who acted.
    for org in ("U0ORG1", "U0ORG2"):
        message = slack.message(slack.dms(org)[-1]["channel"], slack.dms(org)[-1]["ts"])
        assert "Made official by <@U0ORG1>" in json.dumps(message["blocks"])
    assert any("is now an official team" in m["text"] for m in slack.dms("U0BOB"))
    # Joining an official team is a request: each organizer gets it, the first decision wins.
    slack.react("U0DAVE", channel, ts, "raised_hand")
    bot.rt.updates.drain()
    assert "U0DAVE" not in bot.rt.uow.memberships.team(official).members
    copies = {
        org: next(m for m in slack.dms(org) if "asks to join" in json.dumps(m["blocks"]))
        for org in ("U0ORG1", "U0ORG2")
    }
    request = copies["U0ORG2"]
    slack.click("U0ORG2", "approve_join", channel=request["channel"], message_ts=request["ts"])
    bot.rt.updates.drain()
    assert "U0DAVE" in bot.rt.uow.memberships.team(official).members
    assert slack.calls_to("conversations.invite")[-1].args["users"] == "U0DAVE"
    for org, copy in copies.items():
        shown = json.dumps(slack.message(copy["channel"], copy["ts"])["blocks"])
        assert "Approved by <@U0ORG2>" in shown and "approve_join" not in shown, org
    assert any("approved your request" in m["text"] for m in slack.dms("U0DAVE"))
    # A late click from a copy not yet redrawn changes nothing.
    late = bot.rt.bus.handle(DecideJoinRequest("U0ORG1", official.id, "U0DAVE", "declined"))
    assert not late.ok and "already decided by <@U0ORG2>" in reply_text(late.said)
    assert "U0DAVE" in bot.rt.uow.memberships.team(official).members


def test_two_organizers_clicking_at_once_make_one_team(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    channel = slack.channel_id(CHANNEL)
    slack.react("U0BOB", channel, ts, "raised_hand")
    slack.react("U0CAROL", channel, ts, "raised_hand")
    clicks = []
    for org in ("U0ORG1", "U0ORG2", "U0ORG1"):
        alert = slack.dms(org)[-1]
        clicks.append(
            threading.Thread(
                target=slack.click,
                args=(org, "make_official"),
                kwargs={"channel": alert["channel"], "message_ts": alert["ts"]},
            )
        )
    for t in clicks:
        t.start()
    for t in clicks:
        t.join()
    assert len(slack.calls_to("conversations.create")) == 1
    assert len(slack.thread(CHANNEL, ts)) == 1
    assert bot.rt.store.conn.execute("SELECT COUNT(*) FROM teams").fetchone()[0] == 1


def test_reactions_on_a_closed_proposal_do_not_count(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    bot.rt.store.conn.execute("UPDATE proposals SET status = 'closed'")
    slack.react("U0BOB", slack.channel_id(CHANNEL), ts, "raised_hand")
    (proposal,) = bot.rt.uow.proposals.with_status(Status.CLOSED)
    assert bot.rt.uow.memberships.team(proposal).members == ["U0ALICE"]


def test_a_proposers_own_minimum_sets_the_alert_threshold(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME, min_team_size="2")
    assert "1 of 2 members" in post_text(slack, ts)
    slack.react("U0BOB", slack.channel_id(CHANNEL), ts, "raised_hand")
    assert len(alerts(slack)) == 2  # both organizers, at 2 rather than the default 3


def test_alerts_go_to_the_organizers_channel_when_set(bot: LocalBot, slack: FakeSlack) -> None:
    room = slack.add_channel("organizers", members=["U0BOT", "U0ORG1"])
    bot.restart(ORGANIZERS_CHANNEL=room)
    ts = post_proposal(slack, "U0ALICE", NAME)
    for user in ("U0BOB", "U0CAROL"):
        slack.react(user, slack.channel_id(CHANNEL), ts, "raised_hand")
    (alert,) = slack.messages(room)
    assert NAME in alert["text"] and alerts(slack) == []

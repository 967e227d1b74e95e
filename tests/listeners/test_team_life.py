"""A team's life over signed HTTP: who hears what (once, within Slack's tiers), the Join and
Leave buttons mixed with reactions, the official team's welcome and join requests, second
teams, links both ways, the words, and help."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from slackbot.blocks.replies import reply_text
from slackbot.domain.proposal import Status
from slackbot.local import CHANNEL, LocalBot, post_proposal
from slackbot.sandbox import FakeSlack
from slackbot.services.people_directory import KeepDirectory

NAME = "PreTrain RoBERTa from scratch in Hindi"


@pytest.fixture
def bot_settings() -> dict[str, object]:
    return {"ORGANIZER_IDS": "U0ORG1,U0ORG2", "TEAM_SIZE_THRESHOLD": 3, "TEAM_SIZE_MAX": 3}


def dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def post(slack: FakeSlack, ts: str) -> str:
    return dump(slack.message(CHANNEL, ts)["blocks"])


def settle(bot: LocalBot) -> None:
    bot.settle()
    bot.rt.updates.drain()


def texts(slack: FakeSlack, user: str) -> list[str]:
    return [m["text"] for m in slack.dms(user)]


def members(bot: LocalBot, pid: int = 1) -> tuple[list[str], list[str]]:
    proposal = bot.rt.uow.proposals.get(pid)
    assert proposal is not None
    team = bot.rt.uow.memberships.team(proposal)
    return team.members, team.waitlist


def click(slack: FakeSlack, user: str, action: str, ts: str) -> None:
    slack.click(user, action, channel=slack.channel_id(CHANNEL), message_ts=ts)


def test_each_person_hears_once_where_they_stand(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    channel = slack.channel_id(CHANNEL)
    slack.react("U0BOB", channel, ts, "raised_hand")
    envelope = slack.last_event_envelope
    slack.redeliver(envelope, retry_num=1)  # Slack's retry: no second notice
    slack.react("U0CAROL", channel, ts, "raised_hand")
    slack.react("U0DAVE", channel, ts, "raised_hand")  # the team is full: the waitlist
    slack.react("U0ERIN", channel, ts, "raised_hand")
    settle(bot)
    assert len(texts(slack, "U0BOB")) == 1
    # Written when sent, from the team as it is then (full by now, with a waitlist).
    assert "You joined" in texts(slack, "U0BOB")[0] and "waitlist 2" in texts(slack, "U0BOB")[0]
    (dave,) = texts(slack, "U0DAVE")
    assert "you're on the waitlist, #1" in dave
    (erin,) = texts(slack, "U0ERIN")
    assert "#2" in erin
    # Carol leaves: Dave moves up and is told; Erin is now #1 (not news: she hears nothing).
    slack.unreact("U0CAROL", channel, ts, "raised_hand")
    settle(bot)
    assert "A place opened" in texts(slack, "U0DAVE")[-1]
    assert len(texts(slack, "U0DAVE")) == 2 and len(texts(slack, "U0ERIN")) == 1
    assert len(texts(slack, "U0CAROL")) == 1  # who leaves knows it
    # The proposer's news is batched: joins and leaves in few DMs, not one per reaction.
    news = [t for t in texts(slack, "U0ALICE") if t.startswith("News for")]
    assert 1 <= len(news) <= 2 and "<@U0BOB>" in news[0]


def test_someone_who_joins_and_leaves_before_the_notice_goes_hears_nothing(
    bot: LocalBot, slack: FakeSlack
) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    channel = slack.channel_id(CHANNEL)
    bot.rt.updates.stop()  # hold the sender: both changes land before it runs
    slack.react("U0BOB", channel, ts, "raised_hand")
    slack.unreact("U0BOB", channel, ts, "raised_hand")
    bot.settle()
    bot.rt.updates.drain()
    assert texts(slack, "U0BOB") == []
    assert not any(t.startswith("News for") for t in texts(slack, "U0ALICE"))


def test_join_by_button_leave_by_reaction_and_the_reverse(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    channel = slack.channel_id(CHANNEL)
    assert "join_team" in post(slack, ts) and "Leave" in post(slack, ts)
    click(slack, "U0BOB", "join_team", ts)
    settle(bot)
    assert members(bot) == (["U0ALICE", "U0BOB"], [])
    assert "<@U0BOB>" in post(slack, ts)  # the team from the database, not the reaction count
    # Bob never reacted; he adds and removes a reaction: that is leaving.
    slack.react("U0BOB", channel, ts, "raised_hand")
    slack.unreact("U0BOB", channel, ts, "raised_hand")
    settle(bot)
    assert members(bot) == (["U0ALICE"], [])
    # Carol joins by reaction and leaves with the button; her reaction stays on the post.
    slack.react("U0CAROL", channel, ts, "raised_hand")
    click(slack, "U0CAROL", "leave_team", ts)
    settle(bot)
    assert members(bot) == (["U0ALICE"], [])
    assert any("You left" in m.get("text", "") for m in slack.ephemerals("U0CAROL"))
    # Reconciling with Slack's reactions does not bring her back (she left after reacting).
    from slackbot.services.reconciliation import ReconcileAll

    bot.rt.bus.handle(ReconcileAll())
    assert members(bot) == (["U0ALICE"], [])
    # A retried click (the same action) counts once; the proposer's Join is refused kindly.
    click(slack, "U0DAVE", "join_team", ts)
    click(slack, "U0DAVE", "join_team", ts)
    click(slack, "U0ALICE", "join_team", ts)
    settle(bot)
    assert members(bot) == (["U0ALICE", "U0DAVE"], [])
    assert len(texts(slack, "U0DAVE")) == 1
    assert any("you are in its team" in m.get("text", "") for m in slack.ephemerals("U0ALICE"))


def test_a_burst_of_60_joins_is_told_within_the_tiers(slack: FakeSlack, tmp_path: Path) -> None:
    people = [f"U0J{n:03d}" for n in range(60)]
    for person in people:
        slack.add_user(person, person.lower())
    bot = LocalBot(
        slack,
        tmp_path / "burst.db",
        ORGANIZER_IDS="U0ORG1",
        TEAM_SIZE_THRESHOLD=5,
        TEAM_SIZE_MAX=41,
    ).start()
    try:
        ts = post_proposal(slack, "U0ALICE", NAME)
        channel = slack.channel_id(CHANNEL)
        threads = [
            threading.Thread(target=slack.react, args=(p, channel, ts, "raised_hand"))
            for p in people
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        bot.settle()
        bot.rt.updates.drain(timeout=120)
        told = {p: texts(slack, p) for p in people}
        assert all(len(t) == 1 for t in told.values()), {p: len(t) for p, t in told.items()}
        assert sum("You joined" in t[0] for t in told.values()) == 40
        assert sum("you're on the waitlist" in t[0] for t in told.values()) == 20
        assert slack.violations == []  # no method over its tier, no 429
    finally:
        bot.stop()


def test_an_official_team_is_welcomed_and_joining_it_is_a_request(
    bot: LocalBot, slack: FakeSlack, tmp_path: Path
) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    channel = slack.channel_id(CHANNEL)
    for person in ("U0BOB", "U0CAROL"):
        slack.react(person, channel, ts, "raised_hand")
    settle(bot)
    alert = slack.dms("U0ORG1")[-1]
    slack.click("U0ORG1", "make_official", channel=alert["channel"], message_ts=alert["ts"])
    settle(bot)
    team_channel = bot.rt.uow.memberships.official_channel(1)
    assert team_channel is not None
    first, summary = slack.messages(team_channel)[:2]
    assert "What happens next" in dump(first["blocks"]) and "<@U0BOB>" in dump(first["blocks"])
    assert summary["ts"] in slack.pinned(team_channel)
    assert NAME in dump(summary["blocks"]) and "*Description*" in dump(summary["blocks"])
    (announcement,) = slack.thread(CHANNEL, ts)
    assert "is officially created" in announcement["text"]
    assert f"<#{team_channel}>" in announcement["text"]
    assert "What happens next" not in dump(announcement)  # the welcome is the team's
    # Every member hears, once; the post stops inviting reactions.
    for person in ("U0ALICE", "U0BOB", "U0CAROL"):
        assert sum("is now an official team" in t for t in texts(slack, person)) == 1
    shown = post(slack, ts)
    assert "Official team ✅" in shown and "ask_to_join" in shown and "join_team" not in shown
    assert "React with" not in shown
    # A member leaves: the organizers hear it and their alert shows the team as it is.
    slack.unreact("U0CAROL", channel, ts, "raised_hand")
    settle(bot)
    for org in ("U0ORG1", "U0ORG2"):
        assert any("changed: <@U0CAROL> out" in t for t in texts(slack, org)), org
    copy = slack.dms("U0ORG1")[0]
    assert "<@U0CAROL>" not in dump(slack.message(copy["channel"], copy["ts"])["blocks"])
    # Asking to join by button: a request with Approve/Decline; declined, the person is told.
    click(slack, "U0DAVE", "ask_to_join", ts)
    settle(bot)
    assert any("asked the organizers" in m.get("text", "") for m in slack.ephemerals("U0DAVE"))
    request = next(m for m in slack.dms("U0ORG1") if "asks to join" in dump(m["blocks"]))
    slack.click("U0ORG1", "decline_join", channel=request["channel"], message_ts=request["ts"])
    settle(bot)
    assert "U0DAVE" not in members(bot)[0]
    assert any("declined your request" in t for t in texts(slack, "U0DAVE"))
    assert [e.action for e in bot.rt.uow.audit.entries()][-1] == "join_request"


def test_the_organizers_welcome_text_is_theirs(slack: FakeSlack, tmp_path: Path) -> None:
    welcome = tmp_path / "welcome.md"
    welcome.write_text(
        "# Hello {team_name}\n**Compute**: ask {organizers}. [Rules](https://example.org/r)\n"
        "- Members: {members}\n- Proposal: {project_link}\n"
    )
    bot = LocalBot(
        slack,
        tmp_path / "w.db",
        ORGANIZER_IDS="U0ORG1",
        TEAM_SIZE_THRESHOLD=2,
        TEAM_WELCOME_FILE=str(welcome),
    ).start()
    try:
        ts = post_proposal(slack, "U0ALICE", "<!channel> " + NAME)
        slack.react("U0BOB", slack.channel_id(CHANNEL), ts, "raised_hand")
        bot.settle()
        bot.rt.updates.drain()
        bot.rt.bus.handle(KeepDirectory())  # the people's names, as the scheduled job reads them
        alert = slack.dms("U0ORG1")[-1]
        slack.click("U0ORG1", "make_official", channel=alert["channel"], message_ts=alert["ts"])
        bot.settle()
        team_channel = bot.rt.uow.memberships.official_channel(1)
        assert team_channel is not None
        first = slack.messages(team_channel)[0]
        assert first["text"] == (
            f"Welcome to your team channel, &lt;!channel&gt; {NAME}: here is what happens next."
        )
        # Slack renders the organizers' Markdown itself; what fills it cannot become markup.
        block, people, actions = first["blocks"]
        assert block["type"] == "markdown"
        assert block["text"].startswith("# Hello &lt;!channel&gt; " + NAME)
        assert "[Rules](https://example.org/r)" in block["text"]
        # Slack documents no mentions inside a markdown block: the people are named in plain
        # words there, and mentioned (so notified) in the mrkdwn context block under it.
        assert "**Compute**: ask suzana." in block["text"]
        assert "- Members: alice, bob" in block["text"]
        assert "<@" not in block["text"] and "<#" not in block["text"]
        assert people["type"] == "context"
        said = people["elements"][0]
        assert said["type"] == "mrkdwn"
        assert "Members: <@U0ALICE>, <@U0BOB>" in said["text"]
        assert "Organizers: <@U0ORG1>" in said["text"]
        assert f"Team channel: <#{team_channel}>" in said["text"]
        assert actions["type"] == "actions"  # the Hub username button
    finally:
        bot.stop()


def test_a_second_team_takes_the_waitlist(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME, outcome="A Streamlit demo")
    channel = slack.channel_id(CHANNEL)
    for person in ("U0BOB", "U0CAROL", "U0DAVE", "U0ERIN", "U0FRANK"):
        slack.react(person, channel, ts, "raised_hand")
    settle(bot)
    assert members(bot) == (["U0ALICE", "U0BOB", "U0CAROL"], ["U0DAVE", "U0ERIN", "U0FRANK"])
    alert = next(m for m in slack.dms("U0ORG2") if "over-subscribed" in m["text"])
    shown_alert = dump(slack.message(alert["channel"], alert["ts"])["blocks"])
    assert "second_team_waitlist" in shown_alert
    # The alert came when one person waited; it shows the waitlist as it is now.
    assert "Waitlist:* <@U0DAVE>, <@U0ERIN>, <@U0FRANK>" in shown_alert
    slack.click("U0ORG2", "second_team_waitlist", channel=alert["channel"], message_ts=alert["ts"])
    settle(bot)
    second = bot.rt.uow.proposals.get(2)
    assert second is not None and second.name == NAME + " (team 2)"
    assert second.proposer_id == "U0DAVE" and second.second_of == 1
    assert second.answers["outcome"] == "A Streamlit demo"
    assert members(bot, 2) == (["U0DAVE", "U0ERIN", "U0FRANK"], [])
    assert members(bot) == (["U0ALICE", "U0BOB", "U0CAROL"], [])
    # Both posts link each other; every moved person is told; the alert says it is done.
    assert second.permalink and second.permalink in post(slack, ts)
    first = bot.rt.uow.proposals.get(1)
    assert first is not None and first.permalink in post(slack, str(second.ts))
    # Each is told once. (The notice sender may be sending a DM while the test drains the
    # outbox: wait for it rather than for the last message of the moment.)
    told = {"U0DAVE": "you lead it", "U0ERIN": "moved you into", "U0FRANK": "moved you into"}
    for person, words in told.items():
        slack.wait_for(lambda p=person, w=words: any(w in t for t in texts(slack, p)))
    slack.settle()
    for person, words in told.items():
        assert sum(words in t for t in texts(slack, person)) == 1, person
    confirmed = dump(slack.message(alert["channel"], alert["ts"])["blocks"])
    assert "Second team started" in confirmed
    assert "led by <@U0DAVE>, with <@U0ERIN>, <@U0FRANK>" in confirmed  # exactly who moved
    assert [e.action for e in bot.rt.uow.audit.entries()][-1] == "second_team"
    # Started once: a second click is refused.
    from slackbot.services.organizing import StartSecondTeam

    again = bot.rt.bus.handle(StartSecondTeam("U0ORG1", 1, "proposer"))
    assert not again.ok and "exists already" in reply_text(again.said)
    assert len(bot.rt.uow.proposals.with_status(*Status)) == 2


def test_the_earlier_post_links_the_same_idea_in_another_language(
    bot: LocalBot, slack: FakeSlack
) -> None:
    hindi = post_proposal(slack, "U0ALICE", NAME, languages=["hindi"], model="roberta-base")
    italian = post_proposal(
        slack,
        "U0BOB",
        "PreTrain RoBERTa from scratch in Italian",
        languages=["italian"],
        model="roberta-base",
    )
    settle(bot)
    assert "The same idea in other languages" in post(slack, italian)
    assert "The same idea in other languages" in post(slack, hindi)
    assert "Italian" in post(slack, hindi)


def test_words_and_help_are_the_same_everywhere(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    slack.react("U0BOB", slack.channel_id(CHANNEL), ts, "raised_hand")
    settle(bot)
    shown = post(slack, ts)
    assert "Looking for members" in shown and "2 of 3 members · 3 max · needs 1 more" in shown
    for old in ("needed (max", "/3 needed", "Ready for organizers", ":trophy:"):
        assert old not in shown
    listed = dump(slack.slash_command("U0CAROL", "/projects").json)
    assert "2 of 3 members" in listed
    helped = slack.slash_command("U0CAROL", "/projects", "help").json
    assert helped is not None and "How this week works" in helped["text"]
    assert "/projects hindi" in helped["text"]
    slack.open_home("U0CAROL")
    settle(bot)
    home = slack.home("U0CAROL")
    assert home is not None and "How this week works" in dump(home["blocks"])


def test_notices_outlive_a_restart_and_go_once(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    bot.rt.updates.stop()  # the process dies before its sender runs
    slack.react("U0BOB", slack.channel_id(CHANNEL), ts, "raised_hand")
    bot.settle()
    assert texts(slack, "U0BOB") == []
    restarted = bot.restart()
    restarted.rt.updates.drain()
    assert len(texts(slack, "U0BOB")) == 1 and "You joined" in texts(slack, "U0BOB")[0]
    restarted.rt.updates.drain()
    assert len(texts(slack, "U0BOB")) == 1


def test_the_sample_welcome_file_is_accepted_and_filled(slack: FakeSlack, tmp_path: Path) -> None:
    sample = Path(__file__).resolve().parents[2] / "docs" / "team_welcome.example.md"
    bot = LocalBot(
        slack,
        tmp_path / "w.db",
        ORGANIZER_IDS="U0ORG1",
        TEAM_SIZE_THRESHOLD=2,
        TEAM_WELCOME_FILE=str(sample),
    ).start()
    try:
        ts = post_proposal(slack, "U0ALICE", NAME)
        slack.react("U0BOB", slack.channel_id(CHANNEL), ts, "raised_hand")
        bot.settle()
        alert = slack.dms("U0ORG1")[-1]
        slack.click("U0ORG1", "make_official", channel=alert["channel"], message_ts=alert["ts"])
        bot.settle()
        team_channel = bot.rt.uow.memberships.official_channel(1)
        assert team_channel is not None
        block, people, _actions = slack.messages(team_channel)[0]["blocks"]
        first = block["text"]
        assert block["type"] == "markdown" and first.startswith(f"**Welcome, team {NAME}!**")
        assert "{" not in first and "<@" not in first and "<#" not in first
        name = bot.rt.uow.memberships.official_channel_name(1)  # "#team-…"
        assert name is not None and f"Your team channel: {name}." in first
        # Names the directory does not know yet: said below, where Slack renders mentions.
        assert "the organizers (those named below)" in first
        said = people["elements"][0]["text"]
        assert "<@U0ORG1>" in said and "<@U0ALICE>" in said and f"<#{team_channel}>" in said
    finally:
        bot.stop()

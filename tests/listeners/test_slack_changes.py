"""Changes made in Slack behind the bot's back, over real HTTP: each has a defined outcome, none
crashes the bot or makes it loop on errors.

- the app uninstalled, or its token revoked: the bot stops writing and says why, once;
- a proposal's post deleted by an admin: the proposer and the organizers are told once, the
  dashboard lists it, the project is kept;
- a team channel renamed or archived: the new name is shown; the organizers are told once.
"""

from __future__ import annotations

import json
import logging

import pytest

from slackbot.local import CHANNEL, LocalBot, post_proposal
from slackbot.sandbox import FakeSlack
from slackbot.services.reconciliation import ReconcileAll
from tests.conftest import run_offline_cli

NAME = "PreTrain RoBERTa from scratch in Hindi"


def settle(bot: LocalBot) -> None:
    bot.settle()
    bot.rt.updates.drain()


def make_official(bot: LocalBot, slack: FakeSlack) -> tuple[str, str]:
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
    return ts, team_channel


@pytest.mark.parametrize(
    "event",
    [
        {"type": "app_uninstalled"},
        {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["U0BOT"]}},
    ],
)
def test_the_app_uninstalled_stops_every_write_and_says_why_once(
    bot: LocalBot, slack: FakeSlack, event: dict[str, object], caplog: pytest.LogCaptureFixture
) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    settle(bot)
    caplog.set_level(logging.INFO)
    assert slack.send_event(event).status == 200
    settle(bot)
    slack.reset_calls()
    channel = slack.channel_id(CHANNEL)
    for person in ("U0BOB", "U0CAROL", "U0DAVE"):  # acked, recorded, nothing sent
        assert slack.react(person, channel, ts, "raised_hand").status == 200
    settle(bot)
    assert slack.calls == []
    said = [r.getMessage() for r in caplog.records if "slack_access_lost" in r.getMessage()]
    assert len(said) == 1 and "Reinstall the app" in said[0]
    assert not [r for r in caplog.records if r.exc_info]  # no traceback, no loop of errors


def test_a_person_s_revoked_token_is_not_the_bot_s(bot: LocalBot, slack: FakeSlack) -> None:
    event = {"type": "tokens_revoked", "tokens": {"oauth": ["U0ALICE"], "bot": []}}
    assert slack.send_event(event).status == 200
    post_proposal(slack, "U0ALICE", NAME)
    settle(bot)
    assert bot.rt.client.access_lost is None and len(slack.messages(CHANNEL)) == 1


def test_a_call_refused_for_a_revoked_token_stops_the_writes_too(
    bot: LocalBot, slack: FakeSlack
) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    settle(bot)
    slack.fail("chat.update", status=200, error="token_revoked")
    slack.react("U0BOB", slack.channel_id(CHANNEL), ts, "raised_hand")
    settle(bot)
    assert bot.rt.client.access_lost == "token_revoked"
    before = len(slack.calls)
    slack.react("U0CAROL", slack.channel_id(CHANNEL), ts, "raised_hand")
    settle(bot)
    assert len(slack.calls) == before


def test_a_post_deleted_by_an_admin_is_told_once_and_listed(
    bot: LocalBot, slack: FakeSlack
) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    settle(bot)
    slack.delete_message(CHANNEL, ts)
    bot.rt.bus.handle(ReconcileAll())
    bot.rt.bus.handle(ReconcileAll())  # a second pass tells nobody again
    settle(bot)
    for person in ("U0ALICE", "U0ORG1", "U0ORG2"):
        told = [m for m in slack.dms(person) if "was deleted" in m["text"]]
        assert len(told) == 1, person
    slack.open_home("U0ORG1")
    settle(bot)
    home = json.dumps(slack.home("U0ORG1"))
    assert "Posts deleted in Slack" in home and NAME in home
    assert bot.rt.uow.proposals.get(1) is not None  # the project is kept


def test_a_team_channel_renamed_then_archived(
    bot: LocalBot, slack: FakeSlack, tmp_path: object
) -> None:
    _, team_channel = make_official(bot, slack)
    rename = {"type": "channel_rename", "channel": {"id": team_channel, "name": "hindi-lm"}}
    assert slack.send_event(rename).status == 200
    settle(bot)
    assert bot.rt.uow.memberships.official_channel_name(1) == "#hindi-lm"
    archive = {"type": "channel_archive", "channel": team_channel, "user": "U0ALICE"}
    for _ in range(2):  # told once, whatever Slack sends again
        assert slack.send_event(archive).status == 200
    settle(bot)
    for organizer in ("U0ORG1", "U0ORG2"):
        told = [m for m in slack.dms(organizer) if "was archived" in m["text"]]
        assert len(told) == 1, organizer
    assert "by <@U0ALICE>" in told[0]["text"]
    # A malformed change gets a 400, not a 500.
    assert slack.send_event({"type": "channel_archive", "channel": 7}).status == 400
    result = run_offline_cli(bot.database, tmp_path, "export")  # type: ignore[arg-type]
    assert "#hindi-lm" in result.stdout


def test_a_deactivated_account_leaves_open_teams_and_organizers_hear_once(
    bot: LocalBot, slack: FakeSlack
) -> None:
    _, _ = make_official(bot, slack)  # Bob is in the official team #1
    german = post_proposal(slack, "U0BOB", "GPT2 poetry generation in German")
    open_ts = post_proposal(slack, "U0DAVE", "Summarize Spanish news with mT5")
    slack.react("U0BOB", slack.channel_id(CHANNEL), open_ts, "raised_hand")
    settle(bot)
    assert "U0BOB" in bot.rt.uow.memberships.team(bot.rt.uow.proposals.get(3)).members  # type: ignore[arg-type]
    gone = {"type": "user_change", "user": {"id": "U0BOB", "name": "bob", "deleted": True}}
    for _ in range(2):
        assert slack.send_event(gone).status == 200
    profile = {"type": "user_change", "user": {"id": "U0CAROL", "name": "carol", "deleted": False}}
    assert slack.send_event(profile).status == 200
    settle(bot)
    assert "U0BOB" not in bot.rt.uow.memberships.team(bot.rt.uow.proposals.get(3)).members  # type: ignore[arg-type]
    assert "U0BOB" in bot.rt.uow.memberships.team(bot.rt.uow.proposals.get(1)).members  # type: ignore[arg-type]
    for organizer in ("U0ORG1", "U0ORG2"):
        told = [m for m in slack.dms(organizer) if "was deactivated" in m["text"]]
        assert len(told) == 1, organizer
        assert "official team" in told[0]["text"] and "#2" in told[0]["text"]
    assert german and bot.rt.uow.proposals.get(2).is_live  # type: ignore[union-attr]  # Bob's own
    # A profile edit is no deactivation: Carol stays where she is.
    assert "U0CAROL" in bot.rt.uow.memberships.team(bot.rt.uow.proposals.get(1)).members  # type: ignore[arg-type]

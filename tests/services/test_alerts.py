"""Organizer alerts reach every organizer exactly once: partial failures, retries, crashes."""

from __future__ import annotations

import time

import pytest

from slackbot.local import CHANNEL, LocalBot, post_proposal
from slackbot.sandbox import FakeSlack
from slackbot.services.alerting import deliver

NAME = "PreTrain RoBERTa from scratch in Hindi"


@pytest.fixture
def bot_settings() -> dict[str, object]:
    return {"ORGANIZER_IDS": "U0ORG1,U0ORG2", "TEAM_SIZE_THRESHOLD": 2}


def reach_threshold(
    slack: FakeSlack, *, failing: dict[str, int] | None = None, status: int = 500
) -> str:
    """Post a proposal, then make it reach its threshold while the next chat.postMessage
    calls to each organizer fail as many times as `failing` says (an attempt is one call and
    its two retries); the joiner's own notice is not among them."""
    ts = post_proposal(slack, "U0ALICE", NAME)
    for organizer, times in (failing or {}).items():
        slack.fail("chat.postMessage", status=status, times=times, channel=organizer)
    slack.react("U0BOB", slack.channel_id(CHANNEL), ts, "raised_hand")
    return ts


def due_now(bot: LocalBot) -> None:
    """Let the retry backoff pass."""
    bot.rt.store.conn.execute("UPDATE alert_deliveries SET next_at = ?", (time.time() - 1,))


def test_when_one_organizers_dm_fails_only_that_one_is_sent_again(
    bot: LocalBot, slack: FakeSlack
) -> None:
    reach_threshold(slack, failing={"U0ORG1": 3})  # the first DM
    assert len(slack.dms("U0ORG1")) == 0 and len(slack.dms("U0ORG2")) == 1
    assert deliver(bot.rt) == 0  # not due yet: backing off
    due_now(bot)
    assert deliver(bot.rt) == 1
    due_now(bot)
    assert deliver(bot.rt) == 0
    assert len(slack.dms("U0ORG1")) == 1 and len(slack.dms("U0ORG2")) == 1


def test_a_delivery_keeps_being_retried_until_slack_takes_it(
    bot: LocalBot, slack: FakeSlack
) -> None:
    # two attempts of both DMs
    reach_threshold(slack, failing={"U0ORG1": 6, "U0ORG2": 6}, status=503)
    for _ in range(1):
        due_now(bot)
        assert deliver(bot.rt) == 0
    assert slack.dms("U0ORG1") == [] and slack.dms("U0ORG2") == []
    due_now(bot)
    assert deliver(bot.rt) == 2
    due_now(bot)
    assert deliver(bot.rt) == 0
    assert len(slack.dms("U0ORG1")) == 1 and len(slack.dms("U0ORG2")) == 1


def test_an_attempt_cut_short_by_a_crash_is_found_not_posted_again(
    bot: LocalBot, slack: FakeSlack
) -> None:
    reach_threshold(slack)
    (first,) = slack.dms("U0ORG1")
    # As if the process died after Slack stored the DM and before the bot recorded it.
    bot.rt.store.conn.execute(
        "UPDATE alert_deliveries SET state = 'sending', claimed_until = ?, ts = NULL, "
        "channel = NULL WHERE recipient = 'U0ORG1'",
        (time.time() - 1,),
    )
    slack.reset_calls()
    assert deliver(bot.rt) == 1
    assert [c.method for c in slack.calls if c.method == "chat.postMessage"] == []
    assert slack.calls_to("conversations.history")  # looked in the DM first
    assert [m["ts"] for m in slack.dms("U0ORG1")] == [first["ts"]]
    assert len(slack.dms("U0ORG2")) == 1


def test_an_alert_that_became_moot_is_not_sent_late(bot: LocalBot, slack: FakeSlack) -> None:
    ts = reach_threshold(slack, failing={"U0ORG1": 3, "U0ORG2": 3})  # both DMs
    slack.slash_command("U0ORG2", "/organize", "official 1", channel=slack.channel_id(CHANNEL))
    due_now(bot)
    assert deliver(bot.rt) == 0
    assert [m for m in slack.dms("U0ORG1") if "reached its team size" in m["text"]] == []
    assert slack.message(CHANNEL, ts)  # the post is there; only the stale alert is not

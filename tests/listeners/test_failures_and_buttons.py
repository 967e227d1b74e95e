"""Paths that only show when something goes wrong, and the remaining buttons, over HTTP."""

from __future__ import annotations

import json
import threading
import time

import pytest

from slackbot.bootstrap import build_runtime
from slackbot.domain.proposal import Status
from slackbot.local import CHANNEL, LocalBot, open_propose_modal, post_proposal, proposal_values
from slackbot.sandbox import FakeSlack
from slackbot.services.alerting import DeliverAlerts
from slackbot.services.posting import RetryPending

NAME = "PreTrain RoBERTa from scratch in Hindi"


def ready_team(slack: FakeSlack) -> str:
    ts = post_proposal(slack, "U0ALICE", NAME)
    for user in ("U0BOB", "U0CAROL"):
        slack.react(user, slack.channel_id(CHANNEL), ts, "raised_hand")
    return ts


def test_a_crash_after_the_ack_apologises_and_loses_nothing(
    bot: LocalBot,
    slack: FakeSlack,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from slackbot.services import submission

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(submission, "publish", broken)
    view_id = open_propose_modal(slack, "U0ALICE")
    assert slack.submit_view("U0ALICE", view_id, proposal_values(NAME)).status == 200
    (apology,) = slack.dms("U0ALICE")
    assert "Sorry, something went wrong" in apology["text"] and "reference" in apology["text"]
    assert "database on fire" in caplog.text and "Traceback" in caplog.text
    monkeypatch.undo()
    assert bot.rt.bus.handle(RetryPending()) == 1  # what was stored is posted later
    assert len(slack.messages(CHANNEL)) == 1


def test_not_yet_is_shown_to_every_organizer_and_refused_to_others(
    bot: LocalBot, slack: FakeSlack
) -> None:
    ready_team(slack)
    alert = slack.dms("U0ORG2")[-1]
    slack.click("U0BOB", "not_yet", channel=alert["channel"], message_ts=alert["ts"])
    assert "Only the organizers" in json.dumps(slack.ephemerals("U0BOB"))
    slack.click("U0ORG2", "not_yet", channel=alert["channel"], message_ts=alert["ts"])
    for org in ("U0ORG1", "U0ORG2"):
        copy = slack.dms(org)[-1]
        blocks = json.dumps(slack.message(copy["channel"], copy["ts"])["blocks"])
        assert "Not yet by <@U0ORG2>" in blocks and "make_official" in blocks
    assert bot.rt.uow.proposals.with_status(Status.OFFICIAL) == []


def test_the_home_propose_button_opens_the_modal(bot: LocalBot, slack: FakeSlack) -> None:
    slack.open_home("U0DAVE")
    home = slack.home("U0DAVE")
    assert home is not None
    slack.click("U0DAVE", "home_propose", view_id=home["id"])
    (modal,) = slack.views("U0DAVE")
    assert modal["callback_id"] == "proposal_submit"


def test_a_post_slack_will_never_update_stops_being_retried(
    bot: LocalBot, slack: FakeSlack
) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    slack.fail("chat.update", status=200, error="message_not_found", times=5)
    slack.react("U0BOB", slack.channel_id(CHANNEL), ts, "raised_hand")
    bot.rt.updates.drain()
    assert len(slack.calls_to("chat.update")) == 1
    assert not bot.rt.updates.pending()


def test_a_post_slack_rate_limits_is_updated_later(bot: LocalBot, slack: FakeSlack) -> None:
    bot.rt.client.retry_handlers = []  # no in-call retry: the updater itself must come back
    ts = post_proposal(slack, "U0ALICE", NAME)
    slack.fail("chat.update", status=429, retry_after=1, times=1)
    slack.react("U0BOB", slack.channel_id(CHANNEL), ts, "raised_hand")
    bot.rt.updates.drain()
    assert [c.status for c in slack.calls_to("chat.update")] == [429, 200]
    assert "<@U0BOB>" in json.dumps(slack.message(CHANNEL, ts)["blocks"])


def test_two_processes_resend_an_unsent_alert_once(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    for organizer in ("U0ORG1", "U0ORG2"):  # both alert DMs, with their 2 retries
        slack.fail("chat.postMessage", status=500, times=3, channel=organizer)
    for user in ("U0BOB", "U0CAROL"):
        slack.react(user, slack.channel_id(CHANNEL), ts, "raised_hand")
    assert slack.dms("U0ORG1") == [] and slack.dms("U0ORG2") == []
    # Later, two processes run the delivery job at once.
    bot.rt.store.conn.execute("UPDATE alert_deliveries SET next_at = ?", (time.time() - 1,))
    other = build_runtime(bot.settings)
    try:
        counts: list[int] = []
        jobs = [
            threading.Thread(target=lambda rt=rt: counts.append(rt.bus.handle(DeliverAlerts())))
            for rt in (bot.rt, other)
        ]
        for job in jobs:
            job.start()
        for job in jobs:
            job.join()
    finally:
        other.close()
    assert sum(counts) == 2  # one per organizer, whichever process sent it
    assert len(slack.dms("U0ORG1")) == 1 and len(slack.dms("U0ORG2")) == 1


def test_a_submission_the_retry_job_is_posting_is_not_reported_as_refused(
    bot: LocalBot, slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The retry job holds the posting lease when the submission tries to post.
    monkeypatch.setattr(bot.rt.uow.proposals, "claim_for_posting", lambda _pid: None)
    view_id = open_propose_modal(slack, "U0ALICE")
    slack.submit_view("U0ALICE", view_id, proposal_values(NAME))
    assert not any("refused" in m["text"] for m in slack.dms("U0ALICE"))
    assert "Slack is not accepting" not in json.dumps(slack.view(view_id))

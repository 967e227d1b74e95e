"""A proposal is never lost and never posted twice, whatever Slack does."""

from __future__ import annotations

import json

from slackbot.domain.proposal import Status
from slackbot.local import CHANNEL, LocalBot, open_propose_modal, proposal_values
from slackbot.sandbox import FakeSlack
from slackbot.services.posting import PublishProposal, RetryPending

NAME = "GPT2 poetry generation in German"


def submit(slack: FakeSlack, user: str = "U0ALICE", name: str = NAME) -> str:
    view_id = open_propose_modal(slack, user)
    response = slack.submit_view(user, view_id, proposal_values(name))
    assert response.status == 200 and response.elapsed < 3.0
    return view_id


def test_slack_failing_keeps_the_proposal_pending_and_tells_the_proposer(
    bot: LocalBot, slack: FakeSlack
) -> None:
    slack.fail("chat.postMessage", status=500, times=3)  # 1 try + 2 retries, all refused
    view_id = submit(slack)
    assert slack.messages(CHANNEL) == []
    (pending,) = bot.rt.uow.proposals.with_status(Status.PENDING)
    assert pending.name == NAME and pending.last_post_error
    assert "saved" in json.dumps(slack.view(view_id))

    # Slack is back: the retry job posts it once, and tells the proposer the link.
    assert bot.rt.bus.handle(RetryPending()) == 1
    assert bot.rt.bus.handle(RetryPending()) == 0
    (post,) = slack.messages(CHANNEL)
    (posted,) = bot.rt.uow.proposals.with_status(Status.OPEN)
    assert posted.ts == post["ts"]
    assert any(posted.permalink and posted.permalink in m["text"] for m in slack.dms("U0ALICE"))


def test_rate_limited_post_is_retried_after_retry_after(bot: LocalBot, slack: FakeSlack) -> None:
    slack.fail("chat.postMessage", status=429, retry_after=1, times=1)
    submit(slack)
    assert len(slack.messages(CHANNEL)) == 1
    assert [c.status for c in slack.calls_to("chat.postMessage")][:2] == [429, 200]


def test_pending_proposals_are_posted_at_start_up(bot: LocalBot, slack: FakeSlack) -> None:
    slack.fail("chat.postMessage", status=503, times=3)
    submit(slack)
    assert slack.messages(CHANNEL) == []
    bot.restart()
    from slackbot.jobs.scheduler import build_scheduler

    scheduler = build_scheduler(bot.rt)
    (job,) = [j for j in scheduler.get_jobs() if j.id == "retry_pending"]
    job.func()  # the job the scheduler runs at start-up and every 30 s
    assert len(slack.messages(CHANNEL)) == 1


def test_a_post_that_reached_slack_before_a_timeout_is_adopted_not_reposted(
    bot: LocalBot, slack: FakeSlack
) -> None:
    # Slack stores the message but the answer never arrives (the client times out).
    bot.rt.client.timeout = 1
    slack.slow("chat.postMessage", 2.0)
    slack.fail("chat.postMessage", status=500, times=2)
    submit(slack)
    (pending,) = bot.rt.uow.proposals.with_status(Status.PENDING)
    bot.rt.store.conn.execute("UPDATE proposals SET post_claim_until = NULL")
    bot.rt.bus.handle(PublishProposal(pending.id))
    (post,) = [m for m in slack.messages(CHANNEL)]
    posted = bot.rt.uow.proposals.get(pending.id)
    assert posted is not None and posted.ts == post["ts"]


def test_two_workers_posting_the_same_proposal_post_it_once(
    bot: LocalBot, slack: FakeSlack
) -> None:
    import threading

    slack.fail("chat.postMessage", status=500, times=3)
    submit(slack)
    (pending,) = bot.rt.uow.proposals.with_status(Status.PENDING)
    slack.slow("chat.postMessage", 0.5)
    post = PublishProposal(pending.id)
    threads = [threading.Thread(target=bot.rt.bus.handle, args=(post,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(slack.messages(CHANNEL)) == 1

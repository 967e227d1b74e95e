"""Digests: ranking, Slack's limits with many projects, exactly once per slot."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from slackbot.bootstrap import build_runtime
from slackbot.domain.ranking import Standing, compose
from slackbot.domain.teams import TeamStatus
from slackbot.local import CHANNEL, LocalBot, post_proposal
from slackbot.samples import seed
from slackbot.sandbox import FakeSlack
from slackbot.services.digest_posting import PostDigestNow, PreviewDigest, RunScheduledDigest
from tests.conftest import run_offline_cli
from tests.services import read_side


@pytest.fixture
def bot_settings() -> dict[str, object]:
    return {
        "ORGANIZER_IDS": "U0ORG1",
        "DIGEST_CRON": "0 9 * * *",
        "DIGEST_GRACE_MINUTES": 60,
        "DIGEST_MODE": "channel",
    }


def standing(
    pid: int, size: int, threshold: int = 3, status: TeamStatus = TeamStatus.LOOKING
) -> Standing:
    return Standing(pid, status, size, threshold, 10, posted_at=float(pid))


def test_closest_to_the_threshold_first() -> None:
    plan = compose(
        [
            standing(1, 1),
            standing(2, 2),
            standing(3, 1, threshold=5),
            standing(4, 3, status=TeamStatus.READY),
            standing(5, 2),
            standing(6, 4, status=TeamStatus.OFFICIAL),
        ],
        since=3.5,
    )
    assert [s.proposal_id for s in plan.need_members] == [2, 5, 1, 3]
    assert (plan.open, plan.forming, plan.official) == (4, 1, 1)
    assert [s.proposal_id for s in plan.newest] == [5, 4]  # 6 is official: nobody can join


def digests(slack: FakeSlack) -> list[dict]:
    return [m for m in slack.messages(CHANNEL) if "digest" in m["text"]]


def test_a_digest_lists_what_needs_members_with_links(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi")
    post_proposal(slack, "U0BOB", "GPT2 for Bengali poetry generation", languages=["bengali"])
    slack.react("U0CAROL", slack.channel_id(CHANNEL), ts, "raised_hand")
    assert bot.rt.bus.handle(PostDigestNow()) == "posted"
    (message,) = digests(slack)
    body = json.dumps(message["blocks"])
    (closest,) = [
        b["text"]["text"]
        for b in message["blocks"]
        if b["type"] == "section" and "Closest to starting" in b["text"]["text"]
    ]
    assert closest.index("Hindi") < closest.index("Bengali")  # 2/3 before 1/3
    assert "needs 1 more!" in closest and "2 open" in message["text"]
    assert bot.rt.uow.proposals.get(1).permalink in body  # type: ignore[union-attr]


def test_five_hundred_open_projects_still_make_a_valid_digest(
    bot: LocalBot, slack: FakeSlack
) -> None:
    seed(bot.rt, 500, channel=slack.channel_id(CHANNEL))
    assert bot.rt.bus.handle(PostDigestNow()) == "posted"
    (message,) = digests(slack)
    assert len(message["blocks"]) <= 50
    # Every seeded project is new: 8 closest to starting, 6 more new ones, the rest counted.
    assert "+486 more in `/projects`" in json.dumps(message["blocks"])
    # The stand-in checked every block (section text <= 3000 …); the fixture asserts no violation.


def test_nothing_to_report_posts_nothing(bot: LocalBot, slack: FakeSlack) -> None:
    assert bot.rt.bus.handle(PostDigestNow()) == "empty"
    assert digests(slack) == []


def at_nine(day: int = 1, minute: int = 5) -> datetime:
    return datetime(2026, 12, day, 9, minute, tzinfo=timezone.utc)


def test_a_slot_is_posted_once_across_restarts(bot: LocalBot, slack: FakeSlack) -> None:
    post_proposal(slack, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi")
    assert bot.rt.bus.handle(RunScheduledDigest(at_nine())) == "posted"
    assert bot.rt.bus.handle(RunScheduledDigest(at_nine(minute=6))) == "already done"
    bot.restart()
    assert bot.rt.bus.handle(RunScheduledDigest(at_nine(minute=30))) == "already done"
    assert len(digests(slack)) == 1
    # The next day's slot is a new one.
    assert bot.rt.bus.handle(RunScheduledDigest(at_nine(day=2))) == "posted"


def test_a_missed_slot_is_caught_up_only_within_the_grace_period(
    bot: LocalBot, slack: FakeSlack
) -> None:
    post_proposal(slack, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi")
    assert (
        bot.rt.bus.handle(RunScheduledDigest(at_nine(minute=0) + timedelta(minutes=61)))
        == "no slot due"
    )
    assert (
        bot.rt.bus.handle(RunScheduledDigest(at_nine(minute=0) + timedelta(minutes=59))) == "posted"
    )


def test_two_processes_sharing_the_database_post_one_digest(
    bot: LocalBot, slack: FakeSlack
) -> None:
    post_proposal(slack, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi")
    other = build_runtime(bot.settings)  # a second process: its own connections and clients
    try:
        outcomes: list[str] = []
        runners = [
            threading.Thread(
                target=lambda rt=rt: outcomes.append(rt.bus.handle(RunScheduledDigest(at_nine())))
            )
            for rt in (bot.rt, other, bot.rt, other)
        ]
        for t in runners:
            t.start()
        for t in runners:
            t.join()
    finally:
        other.close()
    assert sorted(outcomes) == ["already done"] * 3 + ["posted"]
    assert len(digests(slack)) == 1


def test_dry_run_prints_and_posts_nothing(bot: LocalBot, slack: FakeSlack, tmp_path) -> None:  # type: ignore[no-untyped-def]
    post_proposal(slack, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi")
    slack.reset_calls()
    result = run_offline_cli(bot.database, tmp_path, "digest", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "PreTrain RoBERTa from scratch in Hindi" in result.stdout
    assert "needs 2 more" in result.stdout
    assert slack.calls == []


def test_a_start_just_before_a_slot_does_not_skip_it(slack: FakeSlack, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A deploy 30 s before the digest's time: the start-up catch-up runs, then the slot's own
    run must still post it (it used to find the catch-up's lease taken and skip the slot)."""
    import time_machine

    from slackbot.jobs.scheduler import build_scheduler

    bot = LocalBot(
        slack, tmp_path / "d.db", ORGANIZER_IDS="U0ORG1", DIGEST_CRON="0 9 * * *"
    ).start()
    try:
        post_proposal(slack, "U0ALICE", "PreTrain RoBERTa from scratch in Hindi")
        scheduler = build_scheduler(bot.rt)  # not started: its jobs are run by hand below
        catch_up, slot_run = (scheduler.get_job(j).func for j in ("digest_catch_up", "digest"))
        slot = at_nine(minute=0)
        with time_machine.travel(slot - timedelta(seconds=30), tick=False):
            catch_up()  # yesterday's slot is past the grace period: nothing to post
        with time_machine.travel(slot, tick=False):
            slot_run()
        assert len(digests(slack)) == 1
        with time_machine.travel(slot + timedelta(seconds=5), tick=False):
            slot_run()  # a second process's timer: the slot is taken
        assert len(digests(slack)) == 1
    finally:
        bot.stop()


# --- the handlers alone: a real unit of work, FakeMessenger (milliseconds each) ---------------
def fast(tmp_path: Path, **settings: object) -> read_side.World:
    return read_side.build(tmp_path, DIGEST_CRON="0 9 * * *", DIGEST_GRACE_MINUTES=60, **settings)


def test_a_slot_is_claimed_once_and_its_outcome_kept(tmp_path: Path) -> None:
    world = fast(tmp_path)
    assert world.bus.handle(RunScheduledDigest(at_nine())) == "empty"  # nothing open yet
    world.post("Hindi RoBERTa")
    assert world.bus.handle(RunScheduledDigest(at_nine(minute=7))) == "already done"
    assert world.bus.handle(PostDigestNow()) == "posted"
    (digest,) = world.messenger.to(read_side.CHANNEL, "post")
    assert digest.text.startswith("Community week digest:") and digest.thread_ts is None
    assert read_side.DEADLINES[0] in json.dumps(digest.blocks)
    assert world.uow.digest_runs.last_posted_at() is not None


def test_the_preview_posts_nothing(tmp_path: Path) -> None:
    world = fast(tmp_path)
    assert world.bus.handle(PreviewDigest()) is None
    world.post("Hindi RoBERTa")
    assert "Hindi RoBERTa" in json.dumps(world.bus.handle(PreviewDigest()))
    assert world.messenger.sent == []


def test_thread_mode_pins_one_parent_and_replaces_a_deleted_one(tmp_path: Path) -> None:
    world = fast(tmp_path, DIGEST_MODE="thread")
    world.post("Hindi RoBERTa")
    assert world.bus.handle(PostDigestNow()) == "posted"
    parent = world.uow.digest_runs.thread_parent()
    assert world.messenger.pins == [(read_side.CHANNEL, parent)]
    assert world.bus.handle(PostDigestNow()) == "posted"
    assert [s.thread_ts for s in world.messenger.sent] == [None, parent, parent]
    world.messenger.gone.add(parent)  # an organizer deleted it
    assert world.bus.handle(PostDigestNow()) == "posted"
    new = world.uow.digest_runs.thread_parent()
    assert new not in (None, parent) and world.messenger.pins[-1] == (read_side.CHANNEL, new)
    assert world.messenger.sent[-1].thread_ts == new


def test_a_parent_slack_refused_is_released_for_the_next_digest(tmp_path: Path) -> None:
    world = fast(tmp_path, DIGEST_MODE="thread")
    world.post("Hindi RoBERTa")
    world.messenger.refuse.add(read_side.CHANNEL)
    assert world.bus.handle(PostDigestNow()) == "failed"
    assert world.uow.digest_runs.thread_parent() is None
    world.messenger.refuse.clear()
    assert world.bus.handle(PostDigestNow()) == "posted"
    assert world.uow.digest_runs.thread_parent() is not None

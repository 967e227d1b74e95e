"""Organizer alerts reach every organizer exactly once: partial failures, retries, crashes.
The fast tier first (handlers on a real unit of work, FakeMessenger), then the same stories
through the whole app and the Slack stand-in."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from slackbot.domain.delivery import Delivery as Answered
from slackbot.local import CHANNEL, LocalBot, post_proposal
from slackbot.sandbox import FakeSlack
from slackbot.services.alerting import (
    METADATA_EVENT,
    THRESHOLD,
    DeliverAlerts,
    RemindNotYet,
    record_decision,
    redraw_alerts,
)
from slackbot.store.notices import REMINDER
from tests.fakes import Crash
from tests.services.outbox_world import ORGS, World, build

NAME = "PreTrain RoBERTa from scratch in Hindi"


# --- the fast tier ---------------------------------------------------------------------------
@pytest.fixture
def world(tmp_path: Path) -> World:
    return build(tmp_path)


def ready(world: World) -> int:
    """A team that reached its threshold (3): its alert claimed, one delivery per organizer."""
    project = world.post("Hindi RoBERTa")
    world.join(project, "U1", "U2")
    assert world.store.conn.execute("SELECT COUNT(*) FROM alert_deliveries").fetchone()[0] == 2
    return project.id


def lease_over(world: World) -> None:
    """Let the retry backoff and any sending lease pass."""
    world.store.conn.execute(
        "UPDATE alert_deliveries SET next_at = ?, claimed_until = ?",
        (time.time() - 1, time.time() - 1),
    )


def test_each_organizer_gets_the_alert_once_with_its_mark(world: World) -> None:
    pid = ready(world)
    assert world.bus.handle(DeliverAlerts()) == 2
    for organizer in ORGS:
        [alert] = world.messenger.to(organizer, "dm")
        assert "reached its size: make it official?" in alert.text
        assert alert.metadata == {
            "event_type": METADATA_EVENT,
            "event_payload": {"proposal_id": pid, "kind": THRESHOLD},
        }
    lease_over(world)
    assert world.bus.handle(DeliverAlerts()) == 0
    assert len(world.messenger.sent) == 2


def test_only_the_delivery_that_failed_is_tried_again_after_its_backoff(world: World) -> None:
    ready(world)
    world.messenger.failing["U0ORG1"] = Answered(error="internal_error", status=500)
    assert world.bus.handle(DeliverAlerts()) == 1
    del world.messenger.failing["U0ORG1"]
    assert world.bus.handle(DeliverAlerts()) == 0  # backing off
    lease_over(world)
    assert world.bus.handle(DeliverAlerts()) == 1
    assert [len(world.dms(o)) for o in ORGS] == [1, 1]


def test_an_attempt_cut_short_by_a_crash_is_adopted_not_sent_again(world: World) -> None:
    ready(world)
    world.messenger.crash_after_dms = 1  # the first DM reaches Slack, then the process dies
    with pytest.raises(Crash):
        world.bus.handle(DeliverAlerts())
    lease_over(world)
    assert world.bus.handle(DeliverAlerts()) == 2  # one adopted, one sent
    assert [len(world.dms(o)) for o in ORGS] == [1, 1]
    states = world.store.conn.execute("SELECT state, ts FROM alert_deliveries").fetchall()
    assert all(state == "sent" and ts for state, ts in states)


def test_when_slack_cannot_say_whether_the_first_attempt_landed_nothing_is_posted(
    world: World,
) -> None:
    ready(world)
    world.messenger.crash_after_dms = 1
    with pytest.raises(Crash):
        world.bus.handle(DeliverAlerts())
    lease_over(world)
    world.messenger.refuse.add(ORGS[0])  # conversations.open fails: the lookup cannot be made
    world.bus.handle(DeliverAlerts())
    assert len(world.dms(ORGS[0])) == 1


def test_an_alert_that_became_moot_is_not_sent(world: World) -> None:
    pid = ready(world)
    world.official(world.get(pid))
    assert world.bus.handle(DeliverAlerts()) == 0
    assert world.messenger.sent == []


def test_every_copy_shows_the_decision_within_the_budget(world: World) -> None:
    pid = ready(world)
    world.bus.handle(DeliverAlerts())
    record_decision(world.uow, pid, "U0ORG2", "not_yet")
    budget = iter([True, False])
    assert (
        redraw_alerts(pid, lambda: next(budget), uow=world.uow, messenger=world.messenger) is False
    )
    [update] = [s for s in world.messenger.sent if s.kind == "update"]
    assert ":hourglass: Not yet by <@U0ORG2>" in str(update.blocks)
    assert redraw_alerts(pid, uow=world.uow, messenger=world.messenger) is True
    assert len([s for s in world.messenger.sent if s.kind == "update"]) == 3


def test_a_team_left_at_not_yet_is_raised_again_once_a_period(world: World) -> None:
    pid = ready(world)
    record_decision(world.uow, pid, "U0ORG1", "not_yet")
    assert world.bus.handle(RemindNotYet()) == 0  # not yet a period
    later = time.time() + world.settings.REALERT_HOURS * 3600 + 60
    assert world.bus.handle(RemindNotYet(later)) == 1
    assert world.bus.handle(RemindNotYet(later + 60)) == 0
    kinds = world.store.conn.execute(
        "SELECT user_id FROM notices WHERE kind = ? ORDER BY user_id", (REMINDER,)
    ).fetchall()
    assert [k[0] for k in kinds] == list(ORGS)


# --- the whole app ---------------------------------------------------------------------------
def deliver(bot: LocalBot) -> int:
    sent: int = bot.rt.bus.handle(DeliverAlerts())
    return sent


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
    assert deliver(bot) == 0  # not due yet: backing off
    due_now(bot)
    assert deliver(bot) == 1
    due_now(bot)
    assert deliver(bot) == 0
    assert len(slack.dms("U0ORG1")) == 1 and len(slack.dms("U0ORG2")) == 1


def test_a_delivery_keeps_being_retried_until_slack_takes_it(
    bot: LocalBot, slack: FakeSlack
) -> None:
    # two attempts of both DMs
    reach_threshold(slack, failing={"U0ORG1": 6, "U0ORG2": 6}, status=503)
    for _ in range(1):
        due_now(bot)
        assert deliver(bot) == 0
    assert slack.dms("U0ORG1") == [] and slack.dms("U0ORG2") == []
    due_now(bot)
    assert deliver(bot) == 2
    due_now(bot)
    assert deliver(bot) == 0
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
    assert deliver(bot) == 1
    assert [c.method for c in slack.calls if c.method == "chat.postMessage"] == []
    assert slack.calls_to("conversations.history")  # looked in the DM first
    assert [m["ts"] for m in slack.dms("U0ORG1")] == [first["ts"]]
    assert len(slack.dms("U0ORG2")) == 1


def test_an_alert_that_became_moot_is_not_sent_late(bot: LocalBot, slack: FakeSlack) -> None:
    ts = reach_threshold(slack, failing={"U0ORG1": 3, "U0ORG2": 3})  # both DMs
    slack.slash_command("U0ORG2", "/organize", "official 1", channel=slack.channel_id(CHANNEL))
    due_now(bot)
    assert deliver(bot) == 0
    assert [m for m in slack.dms("U0ORG1") if "reached its team size" in m["text"]] == []
    assert slack.message(CHANNEL, ts)  # the post is there; only the stale alert is not

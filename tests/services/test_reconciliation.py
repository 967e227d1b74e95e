"""The reconciliation and the rebuild, handler by handler: a real unit of work, the History
port faked over a list of messages, FakeMessenger and FakeUpdates; milliseconds each. The whole
stories (a bot down while people react, a lost database file) are in tests/test_kickoff.py,
tests/listeners/test_slack_changes.py and tests/test_lost_database.py."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, ClassVar

import pytest

from slackbot import bootstrap
from slackbot.domain.events import TeamChanged
from slackbot.domain.proposal import Status
from slackbot.domain.teams import BUTTON, Signal
from slackbot.services import joining, rebuild, reconciliation
from slackbot.services.messagebus import MessageBus
from slackbot.services.posting import METADATA_EVENT, metadata_of
from slackbot.services.rebuild import RebuildAtStart, RebuildFromSlack
from slackbot.services.reconciliation import ReconcileAll, ReconcileAtStart, ReconcileDue
from slackbot.store.backups import CATCH_UP_KEY
from tests.fakes import FakeHistory
from tests.services.test_joining import BOT, CHANNEL, EMOJI, ORGS, FakeOrganizers, World, build


def wired(world: World, history: FakeHistory, *, pending: bool = False) -> MessageBus:
    deps = {
        "uow": world.uow,
        "history": history,
        "messenger": world.messenger,
        "updates": world.updates,
        "organizers": FakeOrganizers(),
        "settings": world.settings,
        "bot_user_id": BOT,
        "channel_id": CHANNEL,
        "team_url": "https://week.slack.com/",
        "pending_events_before": lambda started: pending,
    }
    deps["reconciler"] = reconciliation.Pass(
        world.uow, history, world.messenger, world.updates, FakeOrganizers(), [EMOJI], BOT
    )

    class Heard:  # what the team followups would hear, once each change is committed
        EVENTS: ClassVar = {TeamChanged: [world.heard.append]}

    return bootstrap.wire(world.uow, deps, [reconciliation, rebuild, joining, Heard])


def message(ts: str, *users: str, emoji: str = EMOJI, count: int | None = None) -> dict[str, Any]:
    reactions = [{"name": emoji, "users": list(users), "count": count or len(users)}]
    return {"ts": ts, "user": BOT, "reactions": reactions if users else []}


@pytest.fixture
def world(tmp_path: Path) -> World:
    return build(tmp_path)


def test_a_pass_makes_each_team_match_its_reactions(world: World) -> None:
    hindi, bengali = world.post("Hindi RoBERTa"), world.post("Bengali GPT-2")
    assert hindi.ts and bengali.ts
    history = FakeHistory(
        [
            message(bengali.ts, "U2", BOT),  # the bot's own reaction is no join
            message(hindi.ts, "U1", "U3"),
        ]
    )
    done = wired(world, history).handle(ReconcileAll())
    assert done == 2
    assert world.members(hindi) == ["U0PROP", "U1", "U3"]
    assert world.members(bengali) == ["U0PROP", "U2"]
    # Each change is heard once, after its unit committed, and its post is marked to redraw.
    assert sorted(e.proposal_id for e in world.heard) == [hindi.id, bengali.id]
    assert sorted(world.updates.posts) == [hindi.id, bengali.id]
    assert history.asked == ["page"]  # one page: no reactions.get for lists shown whole


def test_a_reaction_taken_away_while_the_bot_was_down_is_a_leave(world: World) -> None:
    project = world.post("Hindi RoBERTa")
    with world.uow:
        world.uow.memberships.apply(project, Signal("U1", EMOJI, True, time.time() - 60))
        world.uow.commit()
    assert project.ts
    wired(world, FakeHistory([message(project.ts)])).handle(ReconcileAll())
    assert world.members(project) == ["U0PROP"]
    assert world.heard[-1].left == ("U1",)


def test_a_join_by_button_is_not_undone_by_the_reactions(world: World) -> None:
    project = world.post("Hindi RoBERTa")
    with world.uow:
        world.uow.memberships.apply(project, Signal("U1", BUTTON, True, time.time() - 60))
        world.uow.commit()
    assert project.ts
    wired(world, FakeHistory([message(project.ts)])).handle(ReconcileAll())
    assert world.members(project) == ["U0PROP", "U1"]
    assert world.heard == []


def test_a_list_slack_cut_short_is_read_whole(world: World) -> None:
    project = world.post("Hindi RoBERTa")
    assert project.ts
    whole = [{"name": EMOJI, "users": ["U1", "U2", "U3"], "count": 3}]
    history = FakeHistory([message(project.ts, "U1", count=3)], {project.ts: whole})
    wired(world, history).handle(ReconcileAll())
    assert history.asked == ["page", f"reactions:{project.ts}"]
    assert world.members(project) == ["U0PROP", "U1", "U2", "U3"]


def test_a_post_deleted_in_slack_is_kept_and_told_once(world: World) -> None:
    kept, deleted = world.post("Hindi RoBERTa"), world.post("Bengali GPT-2")
    assert kept.ts
    bus = wired(world, FakeHistory([message(kept.ts)]))
    bus.handle(ReconcileAll())
    bus.handle(ReconcileAll())  # a second pass tells nobody again
    told = sorted(s.to for s in world.messenger.sent if s.kind == "dm")
    assert told == sorted(["U0PROP", *ORGS])
    gone = world.uow.proposals.get(deleted.id)
    assert gone is not None and gone.status is Status.OPEN  # the project and team are kept


def test_slack_unreachable_stops_the_pass_and_loses_nothing(world: World) -> None:
    project = world.post("Hindi RoBERTa")
    history = FakeHistory([message(str(project.ts), "U1")], down=True)
    assert wired(world, history).handle(ReconcileAll()) == 0
    assert world.members(project) == ["U0PROP"]
    assert world.messenger.sent == []  # an unfinished pass says no post is gone


def test_the_periodic_pass_runs_when_due_and_the_start_pass_waits_for_nothing(
    world: World,
) -> None:
    project = world.post("Hindi RoBERTa")
    history = FakeHistory([message(str(project.ts), "U1")])
    bus = wired(world, history)
    assert bus.handle(ReconcileDue()) == 1  # never reconciled yet
    assert bus.handle(ReconcileDue()) == 0  # done a moment ago
    assert bus.handle(ReconcileDue(older_than=0)) == 1
    assert bus.handle(ReconcileAtStart(wait=0.2)) == 1
    assert world.members(project) == ["U0PROP", "U1"]


# --- the rebuild ----------------------------------------------------------------------------
def posts_of(world: World) -> list[dict[str, Any]]:
    """The channel as Slack holds it: each proposal's post with its record, newest first."""
    out = []
    for proposal in sorted(
        world.uow.proposals.get_many(range(1, 20)).values(), key=lambda p: -p.id
    ):
        out.append({"ts": proposal.ts, "user": BOT, "metadata": metadata_of(world.uow, proposal)})
    return out


def test_a_lost_file_is_read_back_from_the_posts(world: World, tmp_path: Path) -> None:
    hindi, bengali = world.post("Hindi RoBERTa"), world.post("Bengali GPT-2")
    with world.uow:
        world.uow.memberships.apply(hindi, Signal("U1", EMOJI, True, time.time()))
        world.uow.memberships.apply(bengali, Signal("U2", BUTTON, True, time.time()))
        world.uow.commit()
    channel = posts_of(world)
    channel.append(
        {"ts": "1600000000.000001", "user": "U0SOMEONE", "metadata": channel[0]["metadata"]}
    )
    channel.append(
        {
            "ts": "1600000000.000002",
            "user": BOT,
            "metadata": {
                "event_type": METADATA_EVENT,
                "event_payload": {"proposal_id": 9, "record": "garbage"},
            },
        }
    )

    (tmp_path / "elsewhere").mkdir()
    lost = build(tmp_path / "elsewhere")
    history = FakeHistory(channel)
    report = wired(lost, history).handle(RebuildAtStart())
    assert report is not None
    assert (report.posts, report.proposals, report.joins, report.unreadable) == (3, 2, 2, 1)
    again = lost.uow.proposals.get(hindi.id)
    assert again is not None and again.name == "Hindi RoBERTa" and again.ts == hindi.ts
    assert lost.members(again) == ["U0PROP", "U1"]
    assert wired(lost, history).handle(RebuildAtStart()) is None  # not empty: nothing to do
    assert wired(lost, history).handle(RebuildFromSlack()).proposals == 0  # nothing new twice


def test_a_restored_backup_catches_up_with_the_posts(world: World, tmp_path: Path) -> None:
    project = world.post("Hindi RoBERTa")
    when_backed_up = posts_of(world)  # the backup: no one in the team yet
    with world.uow:
        world.uow.memberships.apply(project, Signal("U1", EMOJI, True, time.time()))
        world.uow.commit()
    now = posts_of(world)  # Slack has the join made after the backup
    (tmp_path / "restored").mkdir()
    restored = build(tmp_path / "restored")
    wired(restored, FakeHistory(when_backed_up)).handle(RebuildFromSlack())
    assert restored.members(project) == ["U0PROP"]
    # `slackbot restore` leaves this mark: the next start catches up from Slack.
    restored.store.conn.execute("INSERT INTO meta (key, value) VALUES (?, '1')", (CATCH_UP_KEY,))
    report = wired(restored, FakeHistory(now)).handle(RebuildAtStart())
    assert report is not None and report.proposals == 0  # none new: brought up to date
    assert restored.members(project) == ["U0PROP", "U1"]
    assert wired(restored, FakeHistory(now)).handle(RebuildAtStart()) is None  # caught up

"""The week's deadlines on their own: passed or not, the time left in words, the refusal after
PROPOSALS_CLOSE_AT, and the organizers' one summary when teams close (a real unit of work,
FakeMessenger). The whole story is in tests/listeners/test_organizers_week.py."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from slackbot.blocks.dates import slack_date
from slackbot.services.deadlines import (
    PROPOSALS,
    TEAMS,
    SummarizeTeamsClosed,
    closed_to_proposals,
    passed,
    time_words,
    when,
)
from tests.services.outbox_world import ORGS, build


def iso(seconds_from_now: float) -> str:
    return (datetime.now(timezone.utc) + timedelta(seconds=seconds_from_now)).isoformat()


def test_a_deadline_passes_and_says_so_in_every_readers_time_zone(tmp_path: Path) -> None:
    world = build(tmp_path, PROPOSALS_CLOSE_AT=iso(-60), TEAMS_CLOSE_AT=iso(2 * 86400 + 3 * 3600))
    settings = world.settings
    closes = settings.deadline(TEAMS)
    assert closes is not None
    assert passed(settings, PROPOSALS) and not passed(settings, TEAMS)
    assert passed(settings, TEAMS, now=closes)
    assert when(settings, TEAMS) == slack_date(closes)
    assert time_words(settings, world.uow, now=closes - (2 * 86400 + 3 * 3600 + 30)) == [
        f"Proposals closed {when(settings, PROPOSALS)}",
        f"Teams close in 2 days 3 h ({when(settings, TEAMS)})",
    ]


def test_the_time_left_ends_with_how_the_demos_stand(tmp_path: Path) -> None:
    world = build(tmp_path, TEAMS_CLOSE_AT=iso(3600), SUBMISSIONS_CLOSE_AT=iso(86400))
    project = world.post("Official one")
    world.join(project, "U1", "U2")
    world.official(project)
    words = time_words(world.settings, world.uow)
    assert words[0].startswith("Teams close in 59 min (<!date^")
    assert words[1].startswith("Demos: 0 of 1 official teams submitted · close <!date^")


def test_no_deadline_set_says_nothing(tmp_path: Path) -> None:
    world = build(tmp_path)
    settings = world.settings
    assert not passed(settings, TEAMS) and when(settings, TEAMS) == ""
    assert time_words(settings, world.uow) == [] and closed_to_proposals(settings) is None


def test_proposing_after_the_deadline_is_refused_with_where_to_go(tmp_path: Path) -> None:
    settings = build(tmp_path, PROPOSALS_CLOSE_AT=iso(-60)).settings
    refusal = closed_to_proposals(settings)
    assert refusal is not None and refusal.startswith(":lock: Proposals closed <!date^")
    assert closed_to_proposals(settings, now=time.time() - 3600) is None


def test_the_organizers_hear_once_how_the_week_stands_when_teams_close(tmp_path: Path) -> None:
    world = build(tmp_path, TEAMS_CLOSE_AT=iso(3600))
    official = world.post("Official one")
    world.join(official, "U1", "U2")
    world.official(official)
    waiting = world.post("Waiting one")
    world.join(waiting, "U3", "U4")
    world.post("Lonely one", proposer="U5")
    world.settings.TEAMS_CLOSE_AT = iso(-60)  # the deadline passes
    assert world.bus.handle(SummarizeTeamsClosed()) is True
    for organizer in ORGS:
        [summary] = world.dms(organizer)
        lines = summary.splitlines()
        assert lines[0].startswith(":lock: *Teams closed* (<!date^")
        assert lines[1] == "*1* official: Official one"
        assert lines[2] == "*1* still waiting for you: Waiting one"
    assert world.bus.handle(SummarizeTeamsClosed()) is False  # once, whatever runs it again
    assert len(world.messenger.sent) == 2


def test_before_teams_close_there_is_no_summary(tmp_path: Path) -> None:
    world = build(tmp_path, TEAMS_CLOSE_AT=iso(3600))
    assert world.bus.handle(SummarizeTeamsClosed()) is False
    assert world.messenger.sent == []

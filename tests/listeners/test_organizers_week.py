"""Organizers steering the week from Slack, over signed HTTP: the dashboard against a seeded
week, names from users.info, the export, deadlines, the re-alert, close-all."""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from slackbot.blocks.dates import slack_date
from slackbot.domain.proposal import Status
from slackbot.local import CHANNEL, LocalBot, open_propose_modal, post_proposal, proposal_values
from slackbot.sandbox import FakeSlack
from slackbot.services import export
from slackbot.services.alerting import RemindNotYet
from slackbot.services.deadlines import SummarizeTeamsClosed
from slackbot.services.people_directory import KeepDirectory, ReadNames

HINDI = "PreTrain RoBERTa from scratch in Hindi"
GERMAN = "GPT2 poetry generation in German"


def days_from_now(days: int) -> str:
    """A deadline setting relative to today (never a fixed date: the suite runs on any day)."""
    return (datetime.now(timezone.utc) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def bot_settings() -> dict[str, object]:
    return {"ORGANIZER_IDS": "U0ORG1,U0ORG2", "TEAM_SIZE_THRESHOLD": 3, "TEAM_SIZE_MAX": 3}


def dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def settle(bot: LocalBot) -> None:
    bot.settle()
    bot.rt.updates.drain()


def seeded_week(bot: LocalBot, slack: FakeSlack) -> tuple[str, str]:
    """Alice proposes in Hindi, Bob in German; Carol joins both, Dave one; Frank waits for
    Alice's full team; Erin joins nothing."""
    hindi = post_proposal(slack, "U0ALICE", HINDI, languages=["hindi"], model="roberta-base")
    german = post_proposal(slack, "U0BOB", GERMAN, languages=["german"], model="gpt2")
    channel = slack.channel_id(CHANNEL)
    for person, ts in (("U0CAROL", hindi), ("U0CAROL", german), ("U0DAVE", hindi)):
        slack.react(person, channel, ts, "raised_hand")
    slack.react("U0FRANK", channel, hindi, "raised_hand")  # full: the waitlist
    settle(bot)
    bot.rt.bus.handle(
        KeepDirectory()
    )  # the channel's members and everyone's names, as the job reads them
    return hindi, german


def test_the_dashboard_counts_the_week(bot: LocalBot, slack: FakeSlack) -> None:
    seeded_week(bot, slack)
    slack.open_home("U0ORG1")
    settle(bot)
    home = slack.home("U0ORG1")
    assert home is not None
    text = dump(home["blocks"])
    # The channel: 6 participants (neither the bot nor the 2 organizers are counted). In a
    # team: Alice, Bob, Carol, Dave.
    assert (
        "*6* participants in the channel · *2* proposers · *4* in a team · *2* in no team" in text
    )
    assert "*1* in several teams" in text and "<@U0CAROL> (2)" in text
    no_team = next(b for b in home["blocks"] if b.get("block_id") == "dash-no-team")
    for person in ("U0ERIN", "U0FRANK"):  # waiting is not being in a team
        assert f"<@{person}>" in no_team["text"]["text"]
    for person in ("U0CAROL", "U0ORG1", "U0ORG2"):  # in a team; organizers
        assert f"<@{person}>" not in no_team["text"]["text"]
    assert "*1* over-subscribed" in text and "waiting for you" in text
    bars = next(b for b in home["blocks"] if b.get("block_id") == "dash-bars")
    languages, tasks = (f["text"] for f in bars["fields"])
    assert "`▇▇▇▇▇▇▇▇` 1 Hindi" in languages and "German" in languages
    assert "pretraining" in tasks and "poetry" in tasks
    # Participants do not see it.
    slack.open_home("U0ERIN")
    settle(bot)
    assert "dash-people" not in dump(slack.home("U0ERIN"))


def test_long_dashboard_lists_page_with_more(bot: LocalBot, slack: FakeSlack) -> None:
    for n in range(30):
        slack.add_user(f"U0P{n:03d}", f"person{n}")
        slack.add_channel_member(CHANNEL, f"U0P{n:03d}")
    post_proposal(slack, "U0ALICE", HINDI, languages=["hindi"])
    bot.rt.bus.handle(KeepDirectory())
    slack.open_home("U0ORG1")
    settle(bot)
    home = slack.home("U0ORG1")
    assert home is not None
    first = next(b for b in home["blocks"] if b.get("block_id") == "dash-no-team")
    more = next(b for b in home["blocks"] if b.get("block_id") == "more-no_team")
    slack.click("U0ORG1", "dashboard_more", view_id=home["id"])
    settle(bot)
    home = slack.home("U0ORG1")
    assert home is not None
    second = next(b for b in home["blocks"] if b.get("block_id") == "dash-no-team")
    assert second["text"]["text"] != first["text"]["text"]
    assert more["elements"][0]["value"] == "no_team:20"


def test_names_are_read_within_users_info_tier_and_fill_the_export(
    bot: LocalBot, slack: FakeSlack
) -> None:
    seeded_week(bot, slack)
    organize = slack.slash_command("U0ORG1", "/organize", "limits 1 3 3")
    assert organize.status == 200
    settle(bot)
    calls_before = len(slack.calls_to("users.info"))
    bot.rt.bus.handle(ReadNames())  # everyone is known and fresh: no call
    assert len(slack.calls_to("users.info")) == calls_before
    sheet = list(csv.DictReader(io.StringIO(bot.rt.bus.handle(export.ExportSheet("csv")))))
    hindi = next(row for row in sheet if row["Project"] == HINDI)
    assert hindi["Proposer"] == "U0ALICE" and hindi["Proposer name"] == "alice"
    assert hindi["Member names"] == "alice, carol, dave" and hindi["Waitlist names"] == "frank"
    assert "@suzana set threshold 3, max 3" in hindi["Audit"]
    assert hindi["Description"] and hindi["Training scripts"]
    # A display name that would run as a formula in a spreadsheet stays text.
    bot.rt.uow.people.remember("U0ALICE", '=HYPERLINK("http://evil.example")')
    sheet = list(csv.DictReader(io.StringIO(bot.rt.bus.handle(export.ExportSheet("csv")))))
    hindi = next(row for row in sheet if row["Project"] == HINDI)
    assert hindi["Proposer name"] == '\'=HYPERLINK("http://evil.example")'


def test_a_cold_start_reads_names_within_the_tier(bot: LocalBot, slack: FakeSlack) -> None:
    for n in range(150):
        slack.add_user(f"U0C{n:03d}", f"cold{n}")
        slack.add_channel_member(CHANNEL, f"U0C{n:03d}")
    bot.rt.bus.handle(KeepDirectory())
    read = len(slack.calls_to("users.info"))
    assert 0 < read <= 60  # one run: a batch, not everyone at once
    for _ in range(2):
        bot.rt.bus.handle(KeepDirectory())
    assert slack.peak_per_minute("users.info") <= 100  # Tier 4
    assert slack.violations == []


def test_proposals_close_at_a_deadline(slack: FakeSlack, tmp_path: Path) -> None:
    closed = days_from_now(-30)
    bot = LocalBot(slack, tmp_path / "d.db", ORGANIZER_IDS="U0ORG1", PROPOSALS_CLOSE_AT=closed)
    bot.start()
    when = datetime.fromisoformat(closed)
    try:
        answer = slack.slash_command("U0ALICE", "/propose").json
        # A Slack date: each reader sees it in their own zone; the fallback says it in UTC.
        expected = f"Proposals closed {slack_date(when.replace(tzinfo=timezone.utc))}"
        assert answer is not None and expected in answer["text"]
        assert "/projects" in answer["text"] and slack.views("U0ALICE") == []
    finally:
        bot.stop()


def test_a_form_opened_before_the_deadline_is_refused_after_it(
    bot: LocalBot, slack: FakeSlack
) -> None:
    view_id = open_propose_modal(slack, "U0ALICE")
    bot.rt.settings.PROPOSALS_CLOSE_AT = days_from_now(-30)
    answer = slack.submit_view("U0ALICE", view_id, proposal_values(HINDI)).json
    assert answer is not None and "Proposals closed" in dump(answer["view"])
    assert bot.rt.uow.proposals.with_status(*Status) == []


def test_teams_close_at_a_deadline_with_one_summary(bot: LocalBot, slack: FakeSlack) -> None:
    hindi, _ = seeded_week(bot, slack)
    bot.rt.settings.TEAMS_CLOSE_AT = days_from_now(30)
    slack.open_home("U0ERIN")
    settle(bot)
    assert "Teams close in" in dump(slack.home("U0ERIN"))
    bot.rt.settings.TEAMS_CLOSE_AT = days_from_now(-30)
    channel = slack.channel_id(CHANNEL)
    slack.react("U0ERIN", channel, hindi, "raised_hand")
    slack.click("U0ERIN", "join_team", channel=channel, message_ts=hindi)
    settle(bot)
    proposal = bot.rt.uow.proposals.get(1)
    assert proposal is not None
    assert "U0ERIN" not in bot.rt.uow.memberships.team(proposal).waitlist
    assert any("Teams closed" in m.get("text", "") for m in slack.ephemerals("U0ERIN"))
    # Leaving still works.
    slack.unreact("U0DAVE", channel, hindi, "raised_hand")
    settle(bot)
    assert "U0DAVE" not in bot.rt.uow.memberships.team(proposal).members
    assert bot.rt.bus.handle(SummarizeTeamsClosed()) is True
    assert bot.rt.bus.handle(SummarizeTeamsClosed()) is False  # once, whatever runs it again
    for org in ("U0ORG1", "U0ORG2"):
        (summary,) = [m for m in slack.dms(org) if "Teams closed" in m["text"]]
        assert "still waiting for you" in summary["text"] and "<@U0ERIN>" in summary["text"]


def test_not_yet_is_raised_again_once_per_period(bot: LocalBot, slack: FakeSlack) -> None:
    seeded_week(bot, slack)
    alert = next(m for m in slack.dms("U0ORG1") if "reached its team size" in dump(m["blocks"]))
    slack.click("U0ORG1", "not_yet", channel=alert["channel"], message_ts=alert["ts"])
    settle(bot)
    assert bot.rt.bus.handle(RemindNotYet()) == 0  # not yet a period
    later = time.time() + bot.rt.settings.REALERT_HOURS * 3600 + 1
    assert bot.rt.bus.handle(RemindNotYet(now=later)) == 1
    assert bot.rt.bus.handle(RemindNotYet(now=later + 60)) == 0  # once per period
    settle(bot)
    for org in ("U0ORG1", "U0ORG2"):
        reminders = [m for m in slack.dms(org) if m["text"].startswith("Reminder")]
        assert len(reminders) == 1, org
        assert "make_official" in dump(reminders[0]["blocks"])
    assert not any(m["text"].startswith("Reminder") for m in slack.dms("U0ALICE"))
    # Made official: never raised again.
    slack.slash_command("U0ORG2", "/organize", "official 1")
    settle(bot)
    assert bot.rt.bus.handle(RemindNotYet(now=later + 2 * 24 * 3600)) == 0


def test_close_all_asks_then_closes_every_open_proposal(bot: LocalBot, slack: FakeSlack) -> None:
    hindi, german = seeded_week(bot, slack)
    asked = slack.slash_command("U0ORG1", "/organize", "close-all")
    settle(bot)
    assert any(
        "To go on: `/organize close-all 2`" in m.get("text", "") for m in slack.ephemerals("U0ORG1")
    )
    assert len(bot.rt.uow.proposals.with_status(Status.OPEN)) == 2
    assert asked.status == 200
    refused = slack.slash_command("U0CAROL", "/organize", "close-all 2").json
    assert refused is not None and "Only the organizers" in refused["text"]
    slack.slash_command("U0ORG1", "/organize", "close-all 2")
    settle(bot)
    assert bot.rt.uow.proposals.with_status(Status.OPEN) == []
    assert [e.action for e in bot.rt.uow.audit.entries()].count("close_all") == 2
    for ts in (hindi, german):
        assert "Closed" in dump(slack.message(CHANNEL, ts)["blocks"])

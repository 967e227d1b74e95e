"""Edit, withdraw, leave; organizer controls and the export, over HTTP."""

from __future__ import annotations

import csv
import io
import json
import threading
from pathlib import Path

import pytest

from slackbot.domain.proposal import Status
from slackbot.local import CHANNEL, LocalBot, open_propose_modal, post_proposal, proposal_values
from slackbot.sandbox import FakeSlack
from slackbot.services import digest_posting, export
from slackbot.services.project_search import FindProjects
from slackbot.services.reconciliation import ReconcileAll
from tests.conftest import run_offline_cli

NAME = "PreTrain RoBERTa from scratch in Hindi"


@pytest.fixture
def bot_settings() -> dict[str, object]:
    return {"ORGANIZER_IDS": "U0ORG1", "TEAM_SIZE_THRESHOLD": 3}


def menu(slack: FakeSlack, user: str, ts: str, choice: str) -> None:
    slack.click(
        user,
        "proposal_menu",
        channel=slack.channel_id(CHANNEL),
        message_ts=ts,
        selected_option=choice,
    )


def organize(slack: FakeSlack, user: str, text: str) -> str:
    response = slack.slash_command(user, "/organize", text, channel=slack.channel_id(CHANNEL))
    assert response.status == 200
    answers = [json.dumps(response.json)] + [json.dumps(m) for m in slack.ephemerals(user)]
    # The ack says "Working on…"; the outcome follows through the response_url (the stand-in
    # may record the two in either order).
    final = [a for a in answers if "Working on" not in a]
    return final[-1] if final else answers[-1]


def post_blocks(slack: FakeSlack, ts: str) -> str:
    return json.dumps(slack.message(CHANNEL, ts)["blocks"])


def test_the_proposer_edits_from_the_post(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    menu(slack, "U0ALICE", ts, "edit:1")
    (modal,) = slack.views("U0ALICE")
    assert "Edit proposal" in json.dumps(modal) and NAME in json.dumps(modal)
    slack.submit_view(
        "U0ALICE", modal["id"], {"description": "Now with a Hindi news classifier on top."}
    )
    bot.rt.updates.drain()
    text = post_blocks(slack, ts)
    assert "Hindi news classifier" in text and "_edited_" in text
    assert len(slack.messages(CHANNEL)) == 1  # the same post, updated
    assert (
        bot.rt.bus.handle(FindProjects("classifier")).total == 1
    )  # the search index follows the edit


def test_edits_are_validated_like_new_proposals(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    menu(slack, "U0ALICE", ts, "edit:1")
    (modal,) = slack.views("U0ALICE")
    answer = slack.submit_view("U0ALICE", modal["id"], {"reads": "not a link"}).json
    assert answer is not None and "reads" in answer["errors"]
    stored = bot.rt.uow.proposals.get(1)
    assert stored is not None and stored.edited_at is None


def test_someone_else_cannot_edit_or_withdraw(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    menu(slack, "U0BOB", ts, "edit:1")
    menu(slack, "U0BOB", ts, "withdraw:1")
    assert slack.views("U0BOB") == []
    refusals = json.dumps(slack.ephemerals("U0BOB"))
    assert "Only the person who proposed this project can edit" in refusals
    assert "can withdraw" in refusals
    assert bot.rt.uow.proposals.get(1).status is Status.OPEN  # type: ignore[union-attr]


def test_a_forged_edit_submission_changes_nothing(bot: LocalBot, slack: FakeSlack) -> None:
    post_proposal(slack, "U0ALICE", NAME)
    post_proposal(slack, "U0BOB", "GPT2 for Bengali poetry generation", languages=["bengali"])
    menu(slack, "U0BOB", slack.messages(CHANNEL)[-1]["ts"], "edit:2")
    (modal,) = slack.views("U0BOB")
    # Bob rewrites his own form's private_metadata to point at Alice's proposal.
    forged = dict(modal, private_metadata=json.dumps({"proposal_id": 1}))
    slack.replace_view(modal["id"], forged)
    answer = slack.submit_view("U0BOB", modal["id"], {"description": "hijacked"}).json
    assert answer is not None and "Only the person" in json.dumps(answer)
    assert "hijacked" not in json.dumps(bot.rt.uow.proposals.get(1).answers)  # type: ignore[union-attr]


def test_withdrawing(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    channel = slack.channel_id(CHANNEL)
    slack.react("U0BOB", channel, ts, "raised_hand")
    slack.react("U0CAROL", channel, ts, "raised_hand")  # ready: organizers were alerted
    menu(slack, "U0ALICE", ts, "withdraw:1")
    bot.rt.updates.drain()
    assert "Withdrawn" in post_blocks(slack, ts)
    assert "withdraw:1" not in post_blocks(slack, ts) and "edit:1" not in post_blocks(slack, ts)
    assert "View full proposal" in post_blocks(slack, ts)  # still readable by anyone
    assert any("withdrawn by its proposer" in m["text"] for m in slack.dms("U0ORG1"))
    slack.react("U0DAVE", channel, ts, "raised_hand")
    proposal = bot.rt.uow.proposals.get(1)
    assert proposal is not None and "U0DAVE" not in bot.rt.uow.memberships.team(proposal).members
    assert (
        bot.rt.bus.handle(FindProjects("roberta")).total == 0
        and bot.rt.bus.handle(FindProjects("")).total == 0
    )
    assert digest_posting.plan_digest(bot.rt.uow).empty


def test_leaving_from_the_home_tab_outlasts_reconciliation(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    slack.react("U0BOB", slack.channel_id(CHANNEL), ts, "raised_hand")
    slack.open_home("U0BOB")
    home = slack.home("U0BOB")
    assert home is not None and "leave_team" in json.dumps(home)
    slack.click("U0BOB", "leave_team", view_id=home["id"])
    proposal = bot.rt.uow.proposals.get(1)
    assert proposal is not None
    assert bot.rt.uow.memberships.team(proposal).members == ["U0ALICE"]
    assert bot.rt.bus.handle(ReconcileAll()) == 1  # Bob's reaction is still on the post
    assert bot.rt.uow.memberships.team(proposal).members == ["U0ALICE"]
    bot.rt.updates.drain()
    assert "Teams you joined" in json.dumps(slack.home("U0BOB"))
    assert "leave_team" not in json.dumps(slack.home("U0BOB"))


def test_propose_from_a_message(bot: LocalBot, slack: FakeSlack) -> None:
    channel = slack.channel_id(CHANNEL)
    ts = slack.add_message(
        channel,
        "U0CAROL",
        "Swahili ASR with wav2vec2\nWho wants to fine-tune XLSR on Common Voice?",
    )
    slack.message_shortcut("U0CAROL", "propose_from_message", channel=channel, message_ts=ts)
    (modal,) = slack.views("U0CAROL")
    blocks = {b.get("block_id"): b for b in modal["blocks"]}
    assert blocks["name"]["element"]["initial_value"] == "Swahili ASR with wav2vec2"
    assert "XLSR on Common Voice" in blocks["description"]["element"]["initial_value"]


def test_organize_is_refused_to_everyone_else(bot: LocalBot, slack: FakeSlack) -> None:
    post_proposal(slack, "U0ALICE", NAME)
    for text in ("official 1", "close 1", "export csv", "help"):
        assert "Only the organizers" in organize(slack, "U0BOB", text)
    assert bot.rt.uow.proposals.get(1).status is Status.OPEN  # type: ignore[union-attr]
    assert slack.files() == [] and bot.rt.uow.audit.entries() == []


def test_organizer_controls_are_applied_and_audited(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    post_proposal(slack, "U0CAROL", "GPT2 for Bengali poetry generation", languages=["bengali"])
    slack.react("U0BOB", slack.channel_id(CHANNEL), ts, "raised_hand")
    assert "help" in organize(slack, "U0ORG1", "").lower() or "Organizer commands" in organize(
        slack, "U0ORG1", "help"
    )
    assert "threshold 2, max 4" in organize(slack, "U0ORG1", "limits 1 2 4")
    assert slack.dms("U0ORG1")  # the team now meets its new threshold: alerted
    assert "now an official team" in organize(slack, "U0ORG1", "official #1")
    assert "open again" in organize(slack, "U0ORG1", "undo 1")
    assert "not an official team" in organize(slack, "U0ORG1", "compute give 1 v3-8")
    assert "moved" in organize(slack, "U0ORG1", "move <@U0BOB|bob> 1 2")
    assert "is closed" in organize(slack, "U0ORG1", "close 2")
    assert "open again" in organize(slack, "U0ORG1", "reopen 2")
    assert "not a project number" in organize(slack, "U0ORG1", "close twelve")
    first, second = bot.rt.uow.proposals.get(1), bot.rt.uow.proposals.get(2)
    assert first is not None and second is not None
    assert first.status is Status.OPEN
    assert bot.rt.uow.memberships.team(first).members == ["U0ALICE"]
    assert bot.rt.uow.memberships.team(second).members == ["U0CAROL", "U0BOB"]
    actions = [e.action for e in bot.rt.uow.audit.entries()]
    assert actions == [
        "set_limits",
        "make_official",
        "undo_official",
        "move",
        "close",
        "reopen",
    ]
    assert {e.actor for e in bot.rt.uow.audit.entries()} == {"U0ORG1"}


def test_export_uploaded_to_the_organizer_matches_the_database(
    bot: LocalBot, slack: FakeSlack
) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    slack.react("U0BOB", slack.channel_id(CHANNEL), ts, "raised_hand")
    organize(slack, "U0ORG1", "limits 1 3 4")
    assert "in your DM" in organize(slack, "U0ORG1", "export csv")
    (upload,) = slack.files()
    assert upload["filename"].endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(upload["content"].decode())))
    (row,) = rows
    stored = bot.rt.uow.proposals.get(1)
    assert stored is not None
    assert row["Project"] == stored.name and row["Proposer"] == "U0ALICE"
    assert row["Description"] == stored.answers["description"]
    assert row["Training scripts"] == stored.answers["training_scripts"]
    assert row["Members"] == "U0ALICE, U0BOB" and row["Status"] == "Looking for members"
    assert row["Compute"] == "" and row["Link"] == stored.permalink
    assert "@U0ORG1 set threshold 3, max 4" in row["Audit"]  # no name read yet: the ID
    assert slack.calls_to("files.completeUploadExternal")


def test_cli_export_json(bot: LocalBot, slack: FakeSlack, tmp_path: Path) -> None:
    post_proposal(slack, "U0ALICE", NAME)
    organize(slack, "U0ORG1", "close 1")
    out = tmp_path / "sheet.json"
    result = run_offline_cli(
        bot.database, tmp_path, "export", "--format", "json", "--output", str(out)
    )
    assert result.returncode == 0, result.stderr
    sheet = json.loads(out.read_text())
    assert [p["Project"] for p in sheet["projects"]] == [NAME]
    assert sheet["projects"][0]["Status"] == "Closed"
    assert [a["action"] for a in sheet["audit"]] == ["close"]


def test_an_edit_and_a_reaction_at_once_both_land(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    menu(slack, "U0ALICE", ts, "edit:1")
    (modal,) = slack.views("U0ALICE")
    jobs = [
        threading.Thread(
            target=slack.submit_view, args=("U0ALICE", modal["id"], {"outcome": "A demo app"})
        ),
        threading.Thread(
            target=slack.react, args=("U0BOB", slack.channel_id(CHANNEL), ts, "raised_hand")
        ),
    ]
    for job in jobs:
        job.start()
    for job in jobs:
        job.join()
    bot.rt.updates.drain()
    text = post_blocks(slack, ts)
    assert "A demo app" in text and "<@U0BOB>" in text


def test_a_withdrawal_while_posting_stays_withdrawn(bot: LocalBot, slack: FakeSlack) -> None:
    slack.fail("chat.postMessage", status=500, times=3)
    view_id = open_propose_modal(slack, "U0ALICE")
    slack.submit_view("U0ALICE", view_id, proposal_values(NAME))
    (pending,) = bot.rt.uow.proposals.with_status(Status.PENDING)
    claimed = bot.rt.uow.proposals.claim_for_posting(pending.id)  # a retry is posting it now
    assert claimed is not None
    slack.open_home("U0ALICE")
    home = slack.home("U0ALICE")
    assert home is not None
    slack.click("U0ALICE", "proposal_menu", view_id=home["id"], selected_option="withdraw:1")
    bot.rt.uow.proposals.mark_posted(pending.id, channel="C0001", ts="1.000001", permalink="x")
    assert bot.rt.uow.proposals.get(pending.id).status is Status.WITHDRAWN  # type: ignore[union-attr]


def test_editing_keeps_and_changes_the_proposers_minimum(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME, min_team_size="2")
    menu(slack, "U0ALICE", ts, "edit:1")
    (modal,) = slack.views("U0ALICE")
    size = next(b for b in modal["blocks"] if b.get("block_id") == "min_team_size")
    assert size["element"]["initial_option"]["value"] == "2"
    slack.submit_view("U0ALICE", modal["id"], {"outcome": "A demo"})
    assert bot.rt.uow.proposals.get(1).min_team_size == 2  # type: ignore[union-attr]
    menu(slack, "U0ALICE", ts, "edit:1")
    (modal,) = slack.views("U0ALICE")
    slack.submit_view("U0ALICE", modal["id"], {"min_team_size": "4"})
    assert bot.rt.uow.proposals.get(1).min_team_size == 4  # type: ignore[union-attr]


def test_export_cells_cannot_run_as_spreadsheet_formulas(bot: LocalBot, slack: FakeSlack) -> None:
    post_proposal(slack, "U0ALICE", "=GPT2 poetry generation in German", model="@gpt2")
    sheet = csv.DictReader(io.StringIO(bot.rt.bus.handle(export.ExportSheet("csv"))))
    (row,) = list(sheet)
    assert row["Project"] == "'=GPT2 poetry generation in German" and row["Model"] == "'@gpt2"


def test_raising_the_maximum_updates_rankings(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    organize(slack, "U0ORG1", "limits 1 4 4")
    for user in ("U0BOB", "U0CAROL", "U0DAVE", "U0ERIN", "U0FRANK"):
        slack.react(user, slack.channel_id(CHANNEL), ts, "raised_hand")
    assert [s.size for s in bot.rt.uow.rankings.standings()] == [4]
    organize(slack, "U0ORG1", "limits 1 5 6")
    assert [s.size for s in bot.rt.uow.rankings.standings()] == [6]


def test_undo_then_official_again_reuses_the_team_channel(bot: LocalBot, slack: FakeSlack) -> None:
    ts = post_proposal(slack, "U0ALICE", NAME)
    slack.react("U0BOB", slack.channel_id(CHANNEL), ts, "raised_hand")
    organize(slack, "U0ORG1", "official 1")
    organize(slack, "U0ORG1", "undo 1")
    assert bot.rt.uow.memberships.official_members() == {}
    organize(slack, "U0ORG1", "official 1")
    assert len(slack.calls_to("conversations.create")) == 1
    first, second = slack.thread(CHANNEL, ts)
    channel = slack.calls_to("conversations.create")[0].response["channel"]["id"]  # type: ignore[index]
    assert f"<#{channel}>" in first["text"] and f"<#{channel}>" in second["text"]
